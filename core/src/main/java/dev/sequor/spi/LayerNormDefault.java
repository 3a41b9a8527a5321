package dev.sequor.spi;


/**
 * Layer normalization over the last axis written from primitives: the default of
 * {@link Backend#layerNormForward} and {@link Backend#layerNormBackward}, whose Javadoc states the
 * maths. The variance is the mean of squared deviations (two passes), not {@code E[x^2] - E[x]^2},
 * so rows with a large mean keep their precision.
 */
final class LayerNormDefault {

    private LayerNormDefault() {
    }

    /** See {@link Backend#layerNormForward}. */
    static void forward(Primitives be, Buffer x, Buffer gamma, Buffer beta, int rows, int cols, float eps,
                               Buffer y, Buffer mean, Buffer rstd) {
        int[] shape = {rows, cols};
        long[] dense = {cols, 1};
        long[] perRow = {1, 0};
        long[] perCol = {0, 1};
        long n = (long) rows * cols;
        be.reduce(ReduceOp.MEAN, x, rows, cols, 1, mean);
        be.binary(BinaryOp.SUB, x, dense, mean, perRow, y, shape);
        try (Buffer sq = be.allocate(n)) {
            be.unary(UnaryOp.SQUARE, y, 0, sq, 0, n);
            be.reduce(ReduceOp.MEAN, sq, rows, cols, 1, rstd);
        }
        be.scalar(BinaryOp.ADD, rstd, eps, rstd, rows);
        be.unary(UnaryOp.RSQRT, rstd, 0, rstd, 0, rows);
        be.binary(BinaryOp.MUL, y, dense, rstd, perRow, y, shape);
        if (gamma != null) {
            be.binary(BinaryOp.MUL, y, dense, gamma, perCol, y, shape);
        }
        if (beta != null) {
            be.binary(BinaryOp.ADD, y, dense, beta, perCol, y, shape);
        }
    }

    /** See {@link Backend#layerNormBackward}. */
    static void backward(Primitives be, Buffer gy, Buffer x, Buffer mean, Buffer rstd, Buffer gamma,
                                int rows, int cols, Buffer gx, Buffer gGamma, Buffer gBeta) {
        int[] shape = {rows, cols};
        long[] dense = {cols, 1};
        long[] perRow = {1, 0};
        long n = (long) rows * cols;
        try (Buffer xhat = be.allocate(n); Buffer tmp = be.allocate(n)) {
            be.binary(BinaryOp.SUB, x, dense, mean, perRow, xhat, shape);
            be.binary(BinaryOp.MUL, xhat, dense, rstd, perRow, xhat, shape);
            if (gBeta != null) {
                be.reduce(ReduceOp.SUM, gy, 1, rows, cols, gBeta);
            }
            if (gGamma != null) {
                be.binary(BinaryOp.MUL, gy, dense, xhat, dense, tmp, shape);
                be.reduce(ReduceOp.SUM, tmp, 1, rows, cols, gGamma);
            }
            if (gx != null) {
                inputGradient(be, gy, rstd, gamma, rows, cols, xhat, tmp, gx);
            }
        }
    }

    /** {@code gx = rstd * (g - mean_j g - xhat * mean_j(g * xhat))} with {@code g = gy * gamma}. */
    private static void inputGradient(Primitives be, Buffer gy, Buffer rstd, Buffer gamma, int rows, int cols,
                                      Buffer xhat, Buffer tmp, Buffer gx) {
        int[] shape = {rows, cols};
        long[] dense = {cols, 1};
        long[] perRow = {1, 0};
        if (gamma != null) {
            be.binary(BinaryOp.MUL, gy, dense, gamma, new long[] {0, 1}, gx, shape);
        } else {
            be.copy(gy, 0, gx, 0, (long) rows * cols);
        }
        try (Buffer meanG = be.allocate(rows); Buffer meanGx = be.allocate(rows)) {
            be.reduce(ReduceOp.MEAN, gx, rows, cols, 1, meanG);
            be.binary(BinaryOp.MUL, gx, dense, xhat, dense, tmp, shape);
            be.reduce(ReduceOp.MEAN, tmp, rows, cols, 1, meanGx);
            be.binary(BinaryOp.SUB, gx, dense, meanG, perRow, gx, shape);
            be.binary(BinaryOp.MUL, xhat, dense, meanGx, perRow, tmp, shape);
            be.binary(BinaryOp.SUB, gx, dense, tmp, dense, gx, shape);
            be.binary(BinaryOp.MUL, gx, dense, rstd, perRow, gx, shape);
        }
    }
}
