package dev.sequor.reference;

import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.BufferPool;
import dev.sequor.spi.CounterRng;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.UnaryOp;

import java.util.Arrays;


/**
 * The scalar reference backend: the living definition of every {@link Backend} primitive, written
 * for clarity, not speed. Buffers are heap {@code float[]}s; every op checks ownership, closed
 * buffers and bounds before touching memory; arithmetic is done in double and rounded once per
 * output element (sums, dot products and softmax denominators accumulate in double).
 *
 * <p>Synchronous and stateless apart from its buffer pool, so it is thread-safe under the SPI's
 * rule (no two concurrent calls write the same buffer). {@link #close()} releases nothing, since it
 * holds no threads or device state.
 */
final class ReferenceBackend implements Backend {

    /** Java arrays stop a little short of Integer.MAX_VALUE on common JVMs. */
    private static final long MAX_LENGTH = Integer.MAX_VALUE - 8;

    private final BufferPool<float[]> pool = BufferPool.heap();

    @Override
    public String name() {
        return ReferenceProvider.NAME;
    }

    @Override
    public String description() {
        return "reference: scalar Java, 1 thread, heap float[] buffers, double accumulation";
    }

    // ---------------------------------------------------------------- memory

    @Override
    public long maxBufferLength() {
        return MAX_LENGTH;
    }

    @Override
    public Buffer allocate(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("allocate: negative length " + length);
        }
        if (length > MAX_LENGTH) {
            throw new OutOfMemoryError("allocate: the reference backend holds at most " + MAX_LENGTH
                    + " floats per buffer, asked for " + length);
        }
        return new ReferenceBuffer(this, pool, length);
    }

    @Override
    public long liveBuffers() {
        return pool.liveBuffers();
    }

    @Override
    public BufferPool.Stats memoryStats() {
        return pool.stats();
    }

    @Override
    public void resetMemoryPeak() {
        pool.resetPeak();
    }

    @Override
    public void upload(float[] src, int srcOffset, Buffer dst, long dstOffset, int n) {
        float[] d = Checks.data(this, "upload", "dst", dst);
        if (src == null) {
            throw new IllegalArgumentException("upload: host array src is null");
        }
        Checks.range("upload", "host src", srcOffset, n, src.length);
        Checks.range("upload", "dst", dstOffset, n, d.length);
        System.arraycopy(src, srcOffset, d, (int) dstOffset, n);
    }

    @Override
    public void download(Buffer src, long srcOffset, float[] dst, int dstOffset, int n) {
        float[] s = Checks.data(this, "download", "src", src);
        if (dst == null) {
            throw new IllegalArgumentException("download: host array dst is null");
        }
        Checks.range("download", "src", srcOffset, n, s.length);
        Checks.range("download", "host dst", dstOffset, n, dst.length);
        System.arraycopy(s, (int) srcOffset, dst, dstOffset, n);
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n) {
        float[] s = Checks.data(this, "copy", "src", src);
        float[] d = Checks.data(this, "copy", "dst", dst);
        Checks.range("copy", "src", srcOffset, n, s.length);
        Checks.range("copy", "dst", dstOffset, n, d.length);
        System.arraycopy(s, (int) srcOffset, d, (int) dstOffset, (int) n);
    }

    @Override
    public void fill(Buffer dst, long offset, long n, float value) {
        float[] d = Checks.data(this, "fill", "dst", dst);
        Checks.range("fill", "dst", offset, n, d.length);
        Arrays.fill(d, (int) offset, (int) (offset + n), value);
    }

    @Override
    public void copyStrided(Buffer src, long srcOffset, long[] srcStrides,
                            Buffer dst, long dstOffset, long[] dstStrides, int[] shape) {
        String op = "copyStrided";
        float[] s = Checks.data(this, op, "src", src);
        float[] d = Checks.data(this, op, "dst", dst);
        Checks.shape(op, shape);
        Checks.strided(op, "src", srcOffset, srcStrides, shape, s.length);
        Checks.strided(op, "dst", dstOffset, dstStrides, shape, d.length);
        long count = Strided.count(shape);
        Strided it = new Strided(shape, new long[] {srcOffset, dstOffset}, srcStrides, dstStrides);
        for (long e = 0; e < count; e++) {
            d[(int) it.pos[1]] = s[(int) it.pos[0]];
            it.advance();
        }
    }

    @Override
    public void synchronize() {
        // Synchronous: every call has finished when it returns.
    }

    @Override
    public void close() {
        // Nothing to release: no threads, queues or device contexts.
    }

    // ---------------------------------------------------------------- compute

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k,
                     float alpha, MatrixView a, MatrixView b, float beta, MatrixView c) {
        Gemm.run(this, transA, transB, batch, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    public void unary(UnaryOp op, Buffer x, long xOffset, Buffer out, long outOffset, long n) {
        float[] xs = Checks.data(this, "unary " + op, "x", x);
        float[] os = Checks.data(this, "unary " + op, "out", out);
        Checks.range("unary " + op, "x", xOffset, n, xs.length);
        Checks.range("unary " + op, "out", outOffset, n, os.length);
        for (int i = 0; i < n; i++) {
            os[(int) outOffset + i] = Elementwise.unary(op, xs[(int) xOffset + i]);
        }
    }

    @Override
    public void binary(BinaryOp op, Buffer a, long[] aStrides, Buffer b, long[] bStrides, Buffer out, int[] shape) {
        String name = "binary " + op;
        float[] as = Checks.data(this, name, "a", a);
        float[] bs = Checks.data(this, name, "b", b);
        float[] os = Checks.data(this, name, "out", out);
        Checks.shape(name, shape);
        Checks.strided(name, "a", 0, aStrides, shape, as.length);
        Checks.strided(name, "b", 0, bStrides, shape, bs.length);
        long count = Strided.count(shape);
        Checks.range(name, "out", 0, count, os.length);
        Strided it = new Strided(shape, new long[2], aStrides, bStrides);
        for (int e = 0; e < count; e++) {
            os[e] = Elementwise.binary(op, as[(int) it.pos[0]], bs[(int) it.pos[1]]);
            it.advance();
        }
    }

    @Override
    public void scalar(BinaryOp op, Buffer x, float s, Buffer out, long n) {
        String name = "scalar " + op;
        float[] xs = Checks.data(this, name, "x", x);
        float[] os = Checks.data(this, name, "out", out);
        Checks.range(name, "x", 0, n, xs.length);
        Checks.range(name, "out", 0, n, os.length);
        for (int i = 0; i < n; i++) {
            os[i] = Elementwise.binary(op, xs[i], s);
        }
    }

    @Override
    public void affine(Buffer x, float alpha, float beta, Buffer out, long n) {
        float[] xs = Checks.data(this, "affine", "x", x);
        float[] os = Checks.data(this, "affine", "out", out);
        Checks.range("affine", "x", 0, n, xs.length);
        Checks.range("affine", "out", 0, n, os.length);
        for (int i = 0; i < n; i++) {
            os[i] = (float) ((double) alpha * xs[i] + beta);
        }
    }

    @Override
    public void where(Buffer cond, long[] condStrides, Buffer a, long[] aStrides, Buffer b, long[] bStrides,
                      Buffer out, int[] shape) {
        String op = "where";
        float[] cs = Checks.data(this, op, "cond", cond);
        float[] as = Checks.data(this, op, "a", a);
        float[] bs = Checks.data(this, op, "b", b);
        float[] os = Checks.data(this, op, "out", out);
        Checks.shape(op, shape);
        Checks.strided(op, "cond", 0, condStrides, shape, cs.length);
        Checks.strided(op, "a", 0, aStrides, shape, as.length);
        Checks.strided(op, "b", 0, bStrides, shape, bs.length);
        long count = Strided.count(shape);
        Checks.range(op, "out", 0, count, os.length);
        Strided it = new Strided(shape, new long[3], condStrides, aStrides, bStrides);
        for (int e = 0; e < count; e++) {
            // NaN != 0 is true, so a NaN condition selects a, as the SPI says.
            os[e] = cs[(int) it.pos[0]] != 0f ? as[(int) it.pos[1]] : bs[(int) it.pos[2]];
            it.advance();
        }
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, int outer, int n, int inner, Buffer out) {
        String name = "reduce " + op;
        float[] xs = Checks.data(this, name, "x", x);
        float[] os = Checks.data(this, name, "out", out);
        long total = Checks.sizes(name, outer, n, inner);
        Checks.range(name, "x", 0, total, xs.length);
        Checks.range(name, "out", 0, (long) outer * inner, os.length);
        if (n == 0 && (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) && (long) outer * inner > 0) {
            throw new IllegalArgumentException(name + ": no index to return over an empty axis (n = 0)");
        }
        Reductions.reduce(op, xs, outer, n, inner, os);
    }

    @Override
    public void softmax(Buffer x, int outer, int n, int inner, boolean log, Buffer y) {
        String op = log ? "logSoftmax" : "softmax";
        float[] xs = Checks.data(this, op, "x", x);
        float[] ys = Checks.data(this, op, "y", y);
        long total = Checks.sizes(op, outer, n, inner);
        Checks.range(op, "x", 0, total, xs.length);
        Checks.range(op, "y", 0, total, ys.length);
        Reductions.softmax(xs, outer, n, inner, log, ys);
    }

    @Override
    public void softmaxBackward(Buffer y, Buffer gy, int outer, int n, int inner, boolean log, Buffer gx) {
        String op = log ? "logSoftmaxBackward" : "softmaxBackward";
        float[] ys = Checks.data(this, op, "y", y);
        float[] gys = Checks.data(this, op, "gy", gy);
        float[] gxs = Checks.data(this, op, "gx", gx);
        long total = Checks.sizes(op, outer, n, inner);
        Checks.range(op, "y", 0, total, ys.length);
        Checks.range(op, "gy", 0, total, gys.length);
        Checks.range(op, "gx", 0, total, gxs.length);
        Reductions.softmaxBackward(ys, gys, outer, n, inner, log, gxs);
    }

    @Override
    public void indexSelect(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out) {
        String op = "indexSelect";
        float[] xs = Checks.data(this, op, "x", x);
        float[] is = Checks.data(this, op, "idx", idx);
        float[] os = Checks.data(this, op, "out", out);
        Checks.range(op, "x", 0, Checks.sizes(op, outer, n, inner), xs.length);
        Checks.range(op, "idx", 0, Checks.sizes(op, 1, m, 1), is.length);
        Checks.range(op, "out", 0, Checks.sizes(op, outer, m, inner), os.length);
        IndexOps.indexSelect(xs, outer, n, inner, is, m, os);
    }

    @Override
    public void indexAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out) {
        String op = "indexAdd";
        float[] gs = Checks.data(this, op, "g", g);
        float[] is = Checks.data(this, op, "idx", idx);
        float[] os = Checks.data(this, op, "out", out);
        Checks.range(op, "g", 0, Checks.sizes(op, outer, m, inner), gs.length);
        Checks.range(op, "idx", 0, Checks.sizes(op, 1, m, 1), is.length);
        Checks.range(op, "out", 0, Checks.sizes(op, outer, n, inner), os.length);
        IndexOps.indexAdd(gs, outer, m, inner, is, n, os);
    }

    @Override
    public void gather(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out) {
        String op = "gather";
        float[] xs = Checks.data(this, op, "x", x);
        float[] is = Checks.data(this, op, "idx", idx);
        float[] os = Checks.data(this, op, "out", out);
        Checks.range(op, "x", 0, Checks.sizes(op, outer, n, inner), xs.length);
        long perIndex = Checks.sizes(op, outer, m, inner);
        Checks.range(op, "idx", 0, perIndex, is.length);
        Checks.range(op, "out", 0, perIndex, os.length);
        IndexOps.gather(xs, outer, n, inner, is, m, os);
    }

    @Override
    public void scatterAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out) {
        String op = "scatterAdd";
        float[] gs = Checks.data(this, op, "g", g);
        float[] is = Checks.data(this, op, "idx", idx);
        float[] os = Checks.data(this, op, "out", out);
        long perIndex = Checks.sizes(op, outer, m, inner);
        Checks.range(op, "g", 0, perIndex, gs.length);
        Checks.range(op, "idx", 0, perIndex, is.length);
        Checks.range(op, "out", 0, Checks.sizes(op, outer, n, inner), os.length);
        IndexOps.scatterAdd(gs, outer, m, inner, is, n, os);
    }

    @Override
    public void randomFill(Buffer out, long offset, long n, RandomKind kind, float a, float b, long seed) {
        String op = "randomFill " + kind;
        float[] os = Checks.data(this, op, "out", out);
        Checks.range(op, "out", offset, n, os.length);
        for (int i = 0; i < n; i++) {
            // Float arithmetic, exactly as RandomKind writes it, so every backend can match bit for bit.
            os[(int) offset + i] = switch (kind) {
                case UNIFORM -> a + (b - a) * CounterRng.uniform(seed, i);
                case NORMAL -> a + b * CounterRng.normal(seed, i);
                case BERNOULLI -> CounterRng.uniform(seed, i) < a ? 1f : 0f;
            };
        }
    }
}
