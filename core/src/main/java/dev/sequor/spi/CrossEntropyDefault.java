package dev.sequor.spi;


/**
 * Softmax cross-entropy over logits written from primitives: the default of
 * {@link Backend#crossEntropyForward} and {@link Backend#crossEntropyBackward}, whose Javadoc states
 * the maths. Temporaries are {@code O(rows)}; the only {@code (rows, classes)} buffers are the
 * caller's.
 */
final class CrossEntropyDefault {

    private static final long[] DENSE_1 = {1};
    private static final long[] SCALAR_1 = {0};

    private CrossEntropyDefault() {
    }

    /** See {@link Backend#crossEntropyForward}. */
    static void forward(Primitives be, Buffer logits, Buffer targets, int rows, int classes, int ignoreIndex,
                               float labelSmoothing, Buffer loss, Buffer logProbs) {
        be.softmax(logits, rows, classes, 1, true, logProbs);
        try (Buffer ignored = be.allocate(rows);
             Buffer safe = be.allocate(rows);
             Buffer zero = be.allocate(1);
             Buffer picked = be.allocate(rows)) {
            safeTargets(be, targets, rows, ignoreIndex, ignored, safe, zero);
            be.gather(logProbs, rows, classes, 1, safe, 1, picked);
            be.affine(picked, -(1f - labelSmoothing), 0f, picked, rows);
            if (labelSmoothing != 0f) {
                try (Buffer total = be.allocate(rows)) {
                    be.reduce(ReduceOp.SUM, logProbs, rows, classes, 1, total);
                    be.affine(total, -labelSmoothing / classes, 0f, total, rows);
                    be.binary(BinaryOp.ADD, picked, DENSE_1, total, DENSE_1, picked, new int[] {rows});
                }
            }
            // where, not a multiply by a mask: an ignored row's loss is 0 even when its logits are not finite
            be.where(ignored, DENSE_1, zero, SCALAR_1, picked, DENSE_1, loss, new int[] {rows});
        }
    }

    /** See {@link Backend#crossEntropyBackward}. */
    static void backward(Primitives be, Buffer logProbs, Buffer targets, Buffer gradLoss, int rows, int classes,
                                int ignoreIndex, float labelSmoothing, Buffer gradLogits) {
        long n = (long) rows * classes;
        be.unary(UnaryOp.EXP, logProbs, 0, gradLogits, 0, n);
        if (labelSmoothing != 0f) {
            be.scalar(BinaryOp.SUB, gradLogits, labelSmoothing / classes, gradLogits, n);
        }
        try (Buffer ignored = be.allocate(rows);
             Buffer safe = be.allocate(rows);
             Buffer zero = be.allocate(1);
             Buffer rowGrad = be.allocate(rows)) {
            safeTargets(be, targets, rows, ignoreIndex, ignored, safe, zero);
            be.fill(rowGrad, 0, rows, -(1f - labelSmoothing));
            be.scatterAdd(rowGrad, rows, 1, 1, safe, classes, gradLogits);
            be.where(ignored, DENSE_1, zero, SCALAR_1, gradLoss, DENSE_1, rowGrad, new int[] {rows});
            be.binary(BinaryOp.MUL, gradLogits, new long[] {classes, 1}, rowGrad, new long[] {1, 0}, gradLogits,
                    new int[] {rows, classes});
        }
    }

    /** {@code ignored[r] = t[r] == ignoreIndex}; {@code safe[r]} is {@code t[r]}, or 0 where ignored. */
    private static void safeTargets(Primitives be, Buffer targets, int rows, int ignoreIndex, Buffer ignored,
                                    Buffer safe, Buffer zero) {
        be.scalar(BinaryOp.EQ, targets, ignoreIndex, ignored, rows);
        be.where(ignored, DENSE_1, zero, SCALAR_1, targets, DENSE_1, safe, new int[] {rows});
    }
}
