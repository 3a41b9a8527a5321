package dev.sequor.spi;

import java.util.Arrays;


/**
 * The default of {@link Backend#attentionForward} and {@link Backend#attentionBackward}, written from
 * primitives: batched GEMMs over the {@code B*H} problems with the full {@code (L, S)} score matrix of
 * every problem materialised. Backends with a blocked (online-softmax) kernel override both methods;
 * the conformance kit holds them to this meaning.
 */
final class AttentionDefault {

    private AttentionDefault() {
    }

    /** See {@link Backend#attentionForward}. */
    static void forward(Primitives be, AttentionSpec spec, Buffer q, Buffer k, Buffer v, AttentionBias bias,
                               Buffer out, Buffer lse) {
        int bh = spec.problems();
        int l = spec.queries();
        int s = spec.keys();
        try (Buffer p = be.allocate((long) bh * l * s)) {
            scores(be, spec, q, k, bias, p);
            be.reduce(ReduceOp.LOGSUMEXP, p, bh * l, s, 1, lse);
            probabilities(be, spec, lse, p);
            try (Buffer keep = dropoutScale(be, spec)) {
                if (keep != null) {
                    mulInPlace(be, p, keep, (long) bh * l * s);
                }
            }
            // o = (p . d) v : (L, S) @ (S, Ev) per problem
            be.gemm(false, false, bh, l, spec.valueDim(), s, 1f, MatrixView.batched(p, l, s),
                    MatrixView.batched(v, s, spec.valueDim()), 0f, MatrixView.batched(out, l, spec.valueDim()));
        }
    }

    /** See {@link Backend#attentionBackward}. */
    static void backward(Primitives be, AttentionSpec spec, Buffer q, Buffer k, Buffer v, AttentionBias bias,
                                Buffer out, Buffer lse, Buffer gradOut, Buffer gradQ, Buffer gradK, Buffer gradV) {
        int bh = spec.problems();
        int l = spec.queries();
        int s = spec.keys();
        int e = spec.headDim();
        int ev = spec.valueDim();
        long n = (long) bh * l * s;
        try (Buffer p = be.allocate(n); Buffer dp = be.allocate(n); Buffer keep = dropoutScale(be, spec);
             Buffer rowDot = be.allocate((long) bh * l)) {
            scores(be, spec, q, k, bias, p);
            probabilities(be, spec, lse, p);
            // dv = (p . d)^T g
            if (keep == null) {
                be.gemm(true, false, bh, s, ev, l, 1f, MatrixView.batched(p, l, s), MatrixView.batched(gradOut, l, ev),
                        0f, MatrixView.batched(gradV, s, ev));
            } else {
                try (Buffer pd = be.allocate(n)) {
                    long[] dense = {1};
                    be.binary(BinaryOp.MUL, p, dense, keep, dense, pd, new int[] {Math.toIntExact(n)});
                    be.gemm(true, false, bh, s, ev, l, 1f, MatrixView.batched(pd, l, s),
                            MatrixView.batched(gradOut, l, ev), 0f, MatrixView.batched(gradV, s, ev));
                }
            }
            // dp = d . (g v^T) : (L, Ev) @ (Ev, S)
            be.gemm(false, true, bh, l, s, ev, 1f, MatrixView.batched(gradOut, l, ev),
                    new MatrixView(v, 0, ev, (long) s * ev), 0f, MatrixView.batched(dp, l, s));
            if (keep != null) {
                mulInPlace(be, dp, keep, n);
            }
            // D_i = g_i . o_i
            try (Buffer prod = be.allocate((long) bh * l * ev)) {
                long[] dense = {1};
                be.binary(BinaryOp.MUL, gradOut, dense, out, dense, prod, new int[] {Math.toIntExact((long) bh * l * ev)});
                be.reduce(ReduceOp.SUM, prod, bh * l, ev, 1, rowDot);
            }
            // ds = p (dp - D), in place in dp; rows are (B*H*L, S)
            int[] rows = {bh * l, s};
            be.binary(BinaryOp.SUB, dp, new long[] {s, 1}, rowDot, new long[] {1, 0}, dp, rows);
            be.binary(BinaryOp.MUL, dp, new long[] {s, 1}, p, new long[] {s, 1}, dp, rows);
            be.gemm(false, false, bh, l, e, s, spec.scale(), MatrixView.batched(dp, l, s), MatrixView.batched(k, s, e),
                    0f, MatrixView.batched(gradQ, l, e));
            be.gemm(true, false, bh, s, e, l, spec.scale(), MatrixView.batched(dp, l, s), MatrixView.batched(q, l, e),
                    0f, MatrixView.batched(gradK, s, e));
        }
    }

    /** Writes {@code s_ij = scale q_i . k_j + bias_ij} (and -Inf outside the causal diagonal and the window) into {@code p}. */
    private static void scores(Primitives be, AttentionSpec spec, Buffer q, Buffer k, AttentionBias bias, Buffer p) {
        int bh = spec.problems();
        int l = spec.queries();
        int s = spec.keys();
        int e = spec.headDim();
        // (L, E) @ (S, E)^T per problem
        be.gemm(false, true, bh, l, s, e, spec.scale(), MatrixView.batched(q, l, e),
                new MatrixView(k, 0, e, (long) s * e), 0f, MatrixView.batched(p, l, s));
        int[] shape = {spec.batch(), spec.heads(), l, s};
        long[] dense = {(long) spec.heads() * l * s, (long) l * s, s, 1};
        if (bias != null) {
            be.binary(BinaryOp.ADD, p, dense, bias.buffer(), bias.strides(), p, shape);
        }
        if (spec.causal() || spec.windowed()) {
            float[] mask = new float[l * s];
            for (int i = 0; i < l; i++) {
                int start = spec.keyStart(i);
                int end = Math.max(start, spec.keyEnd(i));
                Arrays.fill(mask, i * s, i * s + start, Float.NEGATIVE_INFINITY);
                Arrays.fill(mask, i * s + end, (i + 1) * s, Float.NEGATIVE_INFINITY);
            }
            try (Buffer m = be.allocate(mask.length)) {
                be.upload(mask, 0, m, 0, mask.length);
                be.binary(BinaryOp.ADD, p, dense, m, new long[] {0, 0, s, 1}, p, shape);
            }
        }
    }

    /**
     * Turns scores into {@code p_ij = exp(s_ij - lse_i)} in place. A fully masked row has
     * {@code lse = -Inf}; subtracting 0 there instead keeps {@code exp(-Inf) = 0} and avoids NaN.
     */
    private static void probabilities(Primitives be, AttentionSpec spec, Buffer lse, Buffer p) {
        int rows = spec.problems() * spec.queries();
        int s = spec.keys();
        try (Buffer empty = be.allocate(rows); Buffer shift = be.allocate(rows); Buffer zero = be.allocate(1)) {
            be.scalar(BinaryOp.EQ, lse, Float.NEGATIVE_INFINITY, empty, rows);
            be.where(empty, new long[] {1}, zero, new long[] {0}, lse, new long[] {1}, shift, new int[] {rows});
            be.binary(BinaryOp.SUB, p, new long[] {s, 1}, shift, new long[] {1, 0}, p, new int[] {rows, s});
        }
        be.unary(UnaryOp.EXP, p, 0, p, 0, (long) rows * s);
    }

    /** @return {@code d_ij = keep_ij / (1 - p)} over {@code (B*H, L, S)}, or null without dropout */
    private static Buffer dropoutScale(Primitives be, AttentionSpec spec) {
        if (spec.dropout() == 0f) {
            return null;
        }
        long n = (long) spec.problems() * spec.queries() * spec.keys();
        float keepRate = 1f - spec.dropout();
        Buffer keep = be.allocate(n);
        be.randomFill(keep, 0, n, RandomKind.BERNOULLI, keepRate, 0f, spec.seed());
        be.affine(keep, 1f / keepRate, 0f, keep, n);
        return keep;
    }

    private static void mulInPlace(Primitives be, Buffer x, Buffer y, long n) {
        long[] dense = {1};
        be.binary(BinaryOp.MUL, x, dense, y, dense, x, new int[] {Math.toIntExact(n)});
    }
}
