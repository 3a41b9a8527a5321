package dev.sequor.spi;

import dev.sequor.spi.Conv2dShape;

/**
 * The default 2-D convolution: im2col by ONE strided copy into a {@code (B, C*kH*kW, outH*outW)}
 * column buffer, then one batched GEMM with the weight viewed as {@code (O, C*kH*kW)}. Backward:
 * {@code dW = sum_b dY_b cols_b^T} (batched GEMM then a reduction over b),
 * {@code dcols_b = W^T dY_b} (batched GEMM), and col2im, which accumulates the kH*kW kernel
 * offsets one at a time (each offset writes distinct positions, so a strided copy and an add
 * suffice). See {@link Backend#conv2dForward}.
 */
final class Conv2dDefault {

    private Conv2dDefault() {
    }

    private static int hp(Conv2dShape s) {
        return s.height() + 2 * s.padH();
    }

    private static int wp(Conv2dShape s) {
        return s.width() + 2 * s.padW();
    }

    /** x (B, C, H, W) -> zero-padded (B, C, Hp, Wp). */
    private static Buffer pad(Primitives be, Conv2dShape s, Buffer x) {
        Buffer xp = be.allocate((long) s.batch() * s.inChannels() * hp(s) * wp(s));
        long h = s.height();
        long w = s.width();
        be.copyStrided(x, 0, new long[] {h * w, w, 1}, xp, (long) s.padH() * wp(s) + s.padW(),
                new long[] {(long) hp(s) * wp(s), wp(s), 1}, new int[] {s.batch() * s.inChannels(), s.height(), s.width()});
        return xp;
    }

    /** The strides of the im2col view of a padded input, over (B, C, kH, kW, outH, outW). */
    private static long[] windowStrides(Conv2dShape s) {
        long plane = (long) hp(s) * wp(s);
        return new long[] {s.inChannels() * plane, plane, wp(s), 1, (long) wp(s) * s.strideH(), s.strideW()};
    }

    private static long[] columnStrides(Conv2dShape s) {
        long l = (long) s.outH() * s.outW();
        long kk = (long) s.kernelH() * s.kernelW();
        return new long[] {s.inChannels() * kk * l, kk * l, s.kernelW() * l, l, s.outW(), 1};
    }

    private static int[] columnShape(Conv2dShape s) {
        return new int[] {s.batch(), s.inChannels(), s.kernelH(), s.kernelW(), s.outH(), s.outW()};
    }

    private static Buffer im2col(Primitives be, Conv2dShape s, Buffer x) {
        int ckk = s.inChannels() * s.kernelH() * s.kernelW();
        long l = (long) s.outH() * s.outW();
        Buffer cols = be.allocate(s.batch() * ckk * l);
        try (Buffer xp = pad(be, s, x)) {
            be.copyStrided(xp, 0, windowStrides(s), cols, 0, columnStrides(s), columnShape(s));
        }
        return cols;
    }

    /** See {@link Backend#conv2dForward}. */
    static void forward(Primitives be, Conv2dShape s, Buffer x, Buffer weight, Buffer bias, Buffer out) {
        int ckk = s.inChannels() * s.kernelH() * s.kernelW();
        int l = s.outH() * s.outW();
        int o = s.outChannels();
        try (Buffer cols = im2col(be, s, x)) {
            // out_b (O, L) = W (O, Ckk) @ cols_b (Ckk, L)
            be.gemm(false, false, s.batch(), o, l, ckk, 1f, new MatrixView(weight, 0, ckk, 0),
                    new MatrixView(cols, 0, l, (long) ckk * l), 0f, new MatrixView(out, 0, l, (long) o * l));
        }
        if (bias != null) {
            be.binary(BinaryOp.ADD, out, new long[] {(long) o * l, l, 1}, bias, new long[] {0, 1, 0}, out,
                    new int[] {s.batch(), o, l});
        }
    }

    /** See {@link Backend#conv2dBackward}. */
    static void backward(Primitives be, Conv2dShape s, Buffer x, Buffer weight, Buffer gradOut, Buffer gradX,
                                Buffer gradWeight, Buffer gradBias) {
        int b = s.batch();
        int ckk = s.inChannels() * s.kernelH() * s.kernelW();
        int l = s.outH() * s.outW();
        int o = s.outChannels();
        MatrixView g = new MatrixView(gradOut, 0, l, (long) o * l);
        if (gradWeight != null) {
            try (Buffer cols = im2col(be, s, x); Buffer per = be.allocate((long) b * o * ckk)) {
                // dW_b (O, CkK) = dY_b (O, L) @ cols_b^T (L, CkK), then summed over b
                be.gemm(false, true, b, o, ckk, l, 1f, g, new MatrixView(cols, 0, l, (long) ckk * l), 0f,
                        new MatrixView(per, 0, ckk, (long) o * ckk));
                be.reduce(ReduceOp.SUM, per, 1, b, o * ckk, gradWeight);
            }
        }
        if (gradBias != null) {
            try (Buffer perB = be.allocate((long) o * l)) {
                be.reduce(ReduceOp.SUM, gradOut, 1, b, o * l, perB);
                be.reduce(ReduceOp.SUM, perB, o, l, 1, gradBias);
            }
        }
        if (gradX != null) {
            col2im(be, s, weight, g, gradX);
        }
    }

    private static void col2im(Primitives be, Conv2dShape s, Buffer weight, MatrixView g, Buffer gradX) {
        int b = s.batch();
        int c = s.inChannels();
        int ckk = c * s.kernelH() * s.kernelW();
        int l = s.outH() * s.outW();
        long padded = (long) b * c * hp(s) * wp(s);
        try (Buffer dcols = be.allocate((long) b * ckk * l);
             Buffer dxp = be.allocate(padded);
             Buffer tmp = be.allocate(padded)) {
            // dcols_b (CkK, L) = W^T (CkK, O) @ dY_b (O, L)
            be.gemm(true, false, b, ckk, l, s.outChannels(), 1f, new MatrixView(weight, 0, ckk, 0), g, 0f,
                    new MatrixView(dcols, 0, l, (long) ckk * l));
            long[] win = windowStrides(s);
            long[] col = columnStrides(s);
            long[] srcStrides = {col[0], col[1], col[4], col[5]};
            long[] dstStrides = {win[0], win[1], win[4], win[5]};
            int[] shape = {b, c, s.outH(), s.outW()};
            for (int i = 0; i < s.kernelH(); i++) {
                for (int j = 0; j < s.kernelW(); j++) {
                    be.fill(tmp, 0, padded, 0f);
                    be.copyStrided(dcols, (long) (i * s.kernelW() + j) * l, srcStrides, tmp, (long) i * wp(s) + j,
                            dstStrides, shape);
                    be.binary(BinaryOp.ADD, dxp, new long[] {1}, tmp, new long[] {1}, dxp,
                            new int[] {Math.toIntExact(padded)});
                }
            }
            long h = s.height();
            long w = s.width();
            be.copyStrided(dxp, (long) s.padH() * wp(s) + s.padW(), new long[] {(long) hp(s) * wp(s), wp(s), 1},
                    gradX, 0, new long[] {h * w, w, 1}, new int[] {b * c, s.height(), s.width()});
        }
    }
}
