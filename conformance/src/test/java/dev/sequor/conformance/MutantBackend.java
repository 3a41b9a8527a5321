package dev.sequor.conformance;

import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.UnaryOp;

/**
 * A backend that forwards to a correct one but breaks one thing on purpose, so the kit's own tests
 * can show that each kit check fails when the behaviour it guards is wrong. {@link Mutation#NONE}
 * forwards everything unchanged.
 */
final class MutantBackend implements Backend {

    /** The one defect to plant. */
    enum Mutation {
        NONE,
        GEMM_IGNORES_BETA,
        GEMM_READS_C_WHEN_BETA_ZERO,
        GEMM_WRITES_PAST_ROW,
        GELU_TANH_APPROXIMATION,
        SOFTMAX_WITHOUT_MAX_SHIFT,
        NORMAL_COUNTS_FROM_BUFFER_START,
        INDEX_ADD_OVERWRITES,
        ARGMAX_TAKES_LAST_TIE,
        COPY_STRIDED_IGNORES_SRC_OFFSET,
        BINARY_SWAPS_OPERANDS,
        LIVE_BUFFERS_MISCOUNT,
        SUM_IN_HALF_PRECISION_STEPS
    }

    private final Backend real;
    private final Mutation mutation;

    MutantBackend(Backend real, Mutation mutation) {
        this.real = real;
        this.mutation = mutation;
    }

    private float[] host(Buffer b) {
        float[] a = new float[(int) b.length()];
        real.download(b, 0, a, 0, a.length);
        return a;
    }

    private void put(float[] a, Buffer b) {
        real.upload(a, 0, b, 0, a.length);
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public String description() {
        return "mutant " + mutation + " of " + real.description();
    }

    @Override
    public Buffer allocate(long length) {
        return real.allocate(length);
    }

    @Override
    public void upload(float[] src, int srcOffset, Buffer dst, long dstOffset, int n) {
        real.upload(src, srcOffset, dst, dstOffset, n);
    }

    @Override
    public void download(Buffer src, long srcOffset, float[] dst, int dstOffset, int n) {
        real.download(src, srcOffset, dst, dstOffset, n);
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n) {
        real.copy(src, srcOffset, dst, dstOffset, n);
    }

    @Override
    public void fill(Buffer dst, long offset, long n, float value) {
        real.fill(dst, offset, n, value);
    }

    @Override
    public void copyStrided(Buffer src, long srcOffset, long[] srcStrides, Buffer dst, long dstOffset,
                            long[] dstStrides, int[] shape) {
        long so = mutation == Mutation.COPY_STRIDED_IGNORES_SRC_OFFSET ? 0 : srcOffset;
        real.copyStrided(src, so, srcStrides, dst, dstOffset, dstStrides, shape);
    }

    @Override
    public void synchronize() {
        real.synchronize();
    }

    @Override
    public long liveBuffers() {
        return real.liveBuffers() + (mutation == Mutation.LIVE_BUFFERS_MISCOUNT && real.liveBuffers() > 0 ? 1 : 0);
    }

    @Override
    public void close() {
        // the wrapped backend is shared; never close it
    }

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                     MatrixView a, MatrixView b, float beta, MatrixView c) {
        float be = switch (mutation) {
            case GEMM_IGNORES_BETA -> 0f;
            case GEMM_READS_C_WHEN_BETA_ZERO -> beta == 0f ? Float.MIN_VALUE : beta;
            default -> beta;
        };
        int cols = mutation == Mutation.GEMM_WRITES_PAST_ROW && c.ld() > n ? n + 1 : n;
        if (cols != n) {
            // write one column too many: compute the product with B padded by its first column
            real.gemm(transA, transB, batch, m, n, k, alpha, a, b, be, c);
            float[] ch = host(c.buffer());
            for (int bi = 0; bi < batch; bi++) {
                for (int r = 0; r < m; r++) {
                    ch[(int) (c.offset() + bi * c.batchStride() + (long) r * c.ld() + n)] = 12345f;
                }
            }
            put(ch, c.buffer());
            return;
        }
        real.gemm(transA, transB, batch, m, n, k, alpha, a, b, be, c);
    }

    @Override
    public void unary(UnaryOp op, Buffer x, long xOffset, Buffer out, long outOffset, long n) {
        real.unary(op, x, xOffset, out, outOffset, n);
        if (op == UnaryOp.GELU && mutation == Mutation.GELU_TANH_APPROXIMATION) {
            float[] xs = host(x);
            float[] os = host(out);
            for (int i = 0; i < n; i++) {
                double v = xs[(int) xOffset + i];
                double inner = Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v);
                os[(int) outOffset + i] = (float) (0.5 * v * (1 + Math.tanh(inner)));
            }
            put(os, out);
        }
    }

    @Override
    public void binary(BinaryOp op, Buffer a, long[] aStrides, Buffer b, long[] bStrides, Buffer out, int[] shape) {
        if (mutation == Mutation.BINARY_SWAPS_OPERANDS && op == BinaryOp.SUB) {
            real.binary(op, b, bStrides, a, aStrides, out, shape);
            return;
        }
        real.binary(op, a, aStrides, b, bStrides, out, shape);
    }

    @Override
    public void scalar(BinaryOp op, Buffer x, float s, Buffer out, long n) {
        real.scalar(op, x, s, out, n);
    }

    @Override
    public void affine(Buffer x, float alpha, float beta, Buffer out, long n) {
        real.affine(x, alpha, beta, out, n);
    }

    @Override
    public void where(Buffer cond, long[] condStrides, Buffer a, long[] aStrides, Buffer b, long[] bStrides,
                      Buffer out, int[] shape) {
        real.where(cond, condStrides, a, aStrides, b, bStrides, out, shape);
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, int outer, int n, int inner, Buffer out) {
        real.reduce(op, x, outer, n, inner, out);
        if (mutation == Mutation.ARGMAX_TAKES_LAST_TIE && op == ReduceOp.ARGMAX) {
            float[] xs = host(x);
            float[] os = host(out);
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int best = 0;
                    for (int j = 0; j < n; j++) {
                        if (xs[(o * n + j) * inner + i] >= xs[(o * n + best) * inner + i]) {
                            best = j;
                        }
                    }
                    os[o * inner + i] = best;
                }
            }
            put(os, out);
        }
        if (mutation == Mutation.SUM_IN_HALF_PRECISION_STEPS && op == ReduceOp.SUM) {
            float[] os = host(out);
            for (int i = 0; i < outer * inner; i++) {
                os[i] = Float.float16ToFloat(Float.floatToFloat16(os[i]));
            }
            put(os, out);
        }
    }

    @Override
    public void softmax(Buffer x, int outer, int n, int inner, boolean log, Buffer y) {
        if (mutation != Mutation.SOFTMAX_WITHOUT_MAX_SHIFT) {
            real.softmax(x, outer, n, inner, log, y);
            return;
        }
        float[] xs = host(x);
        float[] ys = host(y);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                float s = 0;
                for (int j = 0; j < n; j++) {
                    s += (float) Math.exp(xs[(o * n + j) * inner + i]);
                }
                for (int j = 0; j < n; j++) {
                    int p = (o * n + j) * inner + i;
                    float e = (float) Math.exp(xs[p]);
                    ys[p] = log ? (float) Math.log(e / s) : e / s;
                }
            }
        }
        put(ys, y);
    }

    @Override
    public void softmaxBackward(Buffer y, Buffer gy, int outer, int n, int inner, boolean log, Buffer gx) {
        real.softmaxBackward(y, gy, outer, n, inner, log, gx);
    }

    @Override
    public void indexSelect(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out) {
        real.indexSelect(x, outer, n, inner, idx, m, out);
    }

    @Override
    public void indexAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out) {
        if (mutation != Mutation.INDEX_ADD_OVERWRITES) {
            real.indexAdd(g, outer, m, inner, idx, n, out);
            return;
        }
        float[] gs = host(g);
        float[] is = host(idx);
        float[] os = host(out);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < inner; i++) {
                    os[(o * n + (int) is[j]) * inner + i] = gs[(o * m + j) * inner + i];
                }
            }
        }
        put(os, out);
    }

    @Override
    public void gather(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out) {
        real.gather(x, outer, n, inner, idx, m, out);
    }

    @Override
    public void scatterAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out) {
        real.scatterAdd(g, outer, m, inner, idx, n, out);
    }

    @Override
    public void randomFill(Buffer out, long offset, long n, RandomKind kind, float a, float b, long seed) {
        if (mutation == Mutation.NORMAL_COUNTS_FROM_BUFFER_START && kind == RandomKind.NORMAL && offset > 0) {
            try (Buffer tmp = real.allocate(offset + n)) {
                real.randomFill(tmp, 0, offset + n, kind, a, b, seed);
                real.copy(tmp, offset, out, offset, n);
            }
            return;
        }
        real.randomFill(out, offset, n, kind, a, b, seed);
    }
}
