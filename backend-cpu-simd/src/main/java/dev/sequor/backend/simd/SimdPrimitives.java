package dev.sequor.backend.simd;

import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.BufferPool;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.UnaryOp;

import java.util.Arrays;


/**
 * The primitive tier of the {@code cpu-simd} backend: Vector API kernels on heap {@code float[]}
 * buffers, run on a {@link WorkerPool} over all cores when an op is large enough to repay the
 * hand-off. This class validates arguments and splits work; the kernels live in one class per op
 * family. {@link SimdBackend} adds the fused tier.
 */
abstract class SimdPrimitives implements Backend {

    /** Elements below which an elementwise op runs on the calling thread only. */
    static final long PARALLEL_MIN = 1 << 15;

    private final WorkerPool pool;
    private final BufferPool<float[]> buffers = BufferPool.heap();
    private final Workspace workspace = new Workspace();
    private final String description;

    SimdPrimitives(int threads) {
        this.pool = new WorkerPool(threads);
        this.description = "cpu-simd: FloatVector " + Unary.S.vectorShape() + " (" + Unary.L + " lanes), "
                + pool.size() + " threads";
    }

    WorkerPool pool() {
        return pool;
    }

    /** @return the kernels' scratch arrays (see {@link Workspace}) */
    Workspace workspace() {
        return workspace;
    }

    // ------------------------------------------------------------ validation

    /**
     * @return the buffer's array for an op that may write it: bumps its version, so a cached
     *         packed form of the old values is never used again
     */
    float[] arr(Buffer b, String op, String what) {
        float[] d = arrRead(b, op, what);
        ((SimdBuffer) b).touch();
        return d;
    }

    /** @return the buffer's array for an op that only reads it (its cached forms stay valid) */
    float[] arrRead(Buffer b, String op, String what) {
        if (b == null) {
            throw new IllegalArgumentException(op + ": " + what + " is null");
        }
        if (!(b instanceof SimdBuffer sb) || sb.owner() != this) {
            throw new IllegalArgumentException(op + ": " + what + " belongs to another backend ("
                    + b.backend().name() + "), not to this cpu-simd backend");
        }
        float[] d = sb.array();
        if (d == null) {
            throw new IllegalStateException(op + ": " + what + " is closed");
        }
        return d;
    }

    static void range(float[] d, long off, long n, String op, String what) {
        if (off < 0 || n < 0 || off > d.length - n) {
            throw new IllegalArgumentException(op + ": " + what + " range [" + off + ", " + (off + n)
                    + ") is outside its " + d.length + " elements");
        }
    }

    float[] checked(Buffer b, long off, long n, String op, String what) {
        float[] d = arr(b, op, what);
        range(d, off, n, op, what);
        return d;
    }

    private static void strided(float[] d, long offset, int[] shape, long[] strides, String op, String what) {
        if (strides == null || strides.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + what + " strides must have rank " + shape.length);
        }
        if (Strided.count(shape) == 0) {
            return;
        }
        long[] ext = Strided.extent(offset, shape, strides);
        if (ext[0] < 0 || ext[1] >= d.length) {
            throw new IllegalArgumentException(op + ": " + what + " strided access reaches [" + ext[0] + ", "
                    + ext[1] + "], outside its " + d.length + " elements");
        }
    }

    private static void shape(int[] shape, String op) {
        if (shape == null || shape.length > 8) {
            throw new IllegalArgumentException(op + ": shape must have rank 0 to 8");
        }
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + Arrays.toString(shape));
            }
        }
    }

    /** Splits {@code [0, n)} into parts of at least {@link #PARALLEL_MIN} elements and runs them. */
    void forRange(long n, RangeTask task) {
        forRange(n, PARALLEL_MIN, task);
    }

    /** Splits {@code [0, n)} into parts of at least {@code minPart} elements and runs them. */
    void forRange(long n, long minPart, RangeTask task) {
        int parts = (int) Math.min(4L * pool.size(), Math.max(1, n / minPart));
        if (pool.size() == 1 || parts == 1) {
            task.run(0, n);
            return;
        }
        pool.run(parts, p -> task.run(n * p / parts, n * (p + 1) / parts));
    }

    /** A range {@code [from, to)} of a split iteration. */
    @FunctionalInterface
    interface RangeTask {
        void run(long from, long to);
    }

    // ------------------------------------------------------------ identity and memory

    @Override
    public String name() {
        return SimdProvider.NAME;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public long maxBufferLength() {
        return Integer.MAX_VALUE - 16;
    }

    @Override
    public Buffer allocate(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("allocate: negative length " + length);
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new OutOfMemoryError("allocate: cpu-simd buffers hold at most 2^31-16 floats, asked for " + length);
        }
        return new SimdBuffer(this, buffers, length);
    }

    @Override
    public void upload(float[] src, int srcOffset, Buffer dst, long dstOffset, int n) {
        float[] d = checked(dst, dstOffset, n, "upload", "dst");
        if (src == null || srcOffset < 0 || n < 0 || srcOffset > src.length - n) {
            throw new IllegalArgumentException("upload: host range [" + srcOffset + ", " + ((long) srcOffset + n)
                    + ") is outside the source array");
        }
        System.arraycopy(src, srcOffset, d, (int) dstOffset, n);
    }

    @Override
    public void download(Buffer src, long srcOffset, float[] dst, int dstOffset, int n) {
        float[] s = checked(src, srcOffset, n, "download", "src");
        if (dst == null || dstOffset < 0 || n < 0 || dstOffset > dst.length - n) {
            throw new IllegalArgumentException("download: host range [" + dstOffset + ", " + ((long) dstOffset + n)
                    + ") is outside the destination array");
        }
        System.arraycopy(s, (int) srcOffset, dst, dstOffset, n);
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n) {
        float[] s = checked(src, srcOffset, n, "copy", "src");
        float[] d = checked(dst, dstOffset, n, "copy", "dst");
        System.arraycopy(s, (int) srcOffset, d, (int) dstOffset, (int) n);
    }

    @Override
    public void fill(Buffer dst, long offset, long n, float value) {
        float[] d = checked(dst, offset, n, "fill", "dst");
        Arrays.fill(d, (int) offset, (int) (offset + n), value);
    }

    @Override
    public void copyStrided(Buffer src, long srcOffset, long[] srcStrides,
                            Buffer dst, long dstOffset, long[] dstStrides, int[] shape) {
        shape(shape, "copyStrided");
        float[] s = arr(src, "copyStrided", "src");
        float[] d = arr(dst, "copyStrided", "dst");
        strided(s, srcOffset, shape, srcStrides, "copyStrided", "src");
        strided(d, dstOffset, shape, dstStrides, "copyStrided", "dst");
        Elementwise.copyStrided(this, s, srcOffset, srcStrides, d, dstOffset, dstStrides, shape);
    }

    @Override
    public void synchronize() {
        // Synchronous: every call has finished when it returns.
    }

    @Override
    public long liveBuffers() {
        return buffers.liveBuffers();
    }

    @Override
    public BufferPool.Stats memoryStats() {
        return buffers.stats();
    }

    @Override
    public void resetMemoryPeak() {
        buffers.resetPeak();
    }

    @Override
    public void close() {
        pool.close();
    }

    // ------------------------------------------------------------ compute

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k,
                     float alpha, MatrixView a, MatrixView b, float beta, MatrixView c) {
        if (batch < 0 || m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size batch=" + batch + " m=" + m + " n=" + n + " k=" + k);
        }
        float[] ca = arr(c.buffer(), "gemm", "C");
        view(ca, c, batch, m, n, "C");
        float[] aa = arr(a.buffer(), "gemm", "A");
        float[] ba = arr(b.buffer(), "gemm", "B");
        if (k > 0) {
            view(aa, a, batch, transA ? k : m, transA ? m : k, "A");
            view(ba, b, batch, transB ? n : k, transB ? k : n, "B");
        }
        Batched.gemm(transA, transB, batch, m, n, k, alpha, aa, a, ba, b, beta, ca, c, pool);
    }

    private static void view(float[] d, MatrixView v, int batch, int rows, int cols, String what) {
        if (batch == 0 || rows == 0 || cols == 0) {
            return;
        }
        if (rows > 1 && v.ld() < cols) {
            throw new IllegalArgumentException("gemm: " + what + " has ld " + v.ld() + " < its " + cols + " columns");
        }
        long last = v.offset() + (batch - 1) * v.batchStride() + (long) (rows - 1) * v.ld() + cols - 1;
        if (last >= d.length) {
            throw new IllegalArgumentException("gemm: " + what + " (" + batch + " x " + rows + " x " + cols + ", offset "
                    + v.offset() + ", ld " + v.ld() + ", batchStride " + v.batchStride() + ") reaches element " + last
                    + ", outside its " + d.length + " elements");
        }
    }

    @Override
    public void unary(UnaryOp op, Buffer x, long xOffset, Buffer out, long outOffset, long n) {
        float[] xs = checked(x, xOffset, n, "unary " + op, "x");
        float[] ys = checked(out, outOffset, n, "unary " + op, "out");
        forRange(n, Unary.costly(op) ? PARALLEL_MIN / 8 : PARALLEL_MIN,
                (f, t) -> Unary.run(op, xs, (int) (xOffset + f), ys, (int) (outOffset + f), (int) (t - f)));
    }

    @Override
    public void binary(BinaryOp op, Buffer a, long[] aStrides, Buffer b, long[] bStrides, Buffer out, int[] shape) {
        String name = "binary " + op;
        shape(shape, name);
        float[] as = arr(a, name, "a");
        float[] bs = arr(b, name, "b");
        float[] os = checked(out, 0, Strided.count(shape), name, "out");
        strided(as, 0, shape, aStrides, name, "a");
        strided(bs, 0, shape, bStrides, name, "b");
        Elementwise.binary(this, op, as, aStrides, bs, bStrides, os, shape);
    }

    @Override
    public void scalar(BinaryOp op, Buffer x, float s, Buffer out, long n) {
        float[] xs = checked(x, 0, n, "scalar " + op, "x");
        float[] ys = checked(out, 0, n, "scalar " + op, "out");
        float[] one = {s};
        forRange(n, (f, t) -> Binary.run(op, xs, (int) f, 1, one, 0, 0, ys, (int) f, 1, (int) (t - f)));
    }

    @Override
    public void affine(Buffer x, float alpha, float beta, Buffer out, long n) {
        float[] xs = checked(x, 0, n, "affine", "x");
        float[] ys = checked(out, 0, n, "affine", "out");
        forRange(n, (f, t) -> Elementwise.affine(xs, alpha, beta, ys, (int) f, (int) t));
    }

    @Override
    public void where(Buffer cond, long[] condStrides, Buffer a, long[] aStrides, Buffer b, long[] bStrides,
                      Buffer out, int[] shape) {
        shape(shape, "where");
        float[] cs = arr(cond, "where", "cond");
        float[] as = arr(a, "where", "a");
        float[] bs = arr(b, "where", "b");
        float[] os = checked(out, 0, Strided.count(shape), "where", "out");
        strided(cs, 0, shape, condStrides, "where", "cond");
        strided(as, 0, shape, aStrides, "where", "a");
        strided(bs, 0, shape, bStrides, "where", "b");
        Elementwise.where(this, cs, condStrides, as, aStrides, bs, bStrides, os, shape);
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, int outer, int n, int inner, Buffer out) {
        dims(outer, n, inner, "reduce " + op);
        if (n == 0 && (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) && (long) outer * inner > 0) {
            throw new IllegalArgumentException("reduce " + op + ": no index to return over an empty axis (n = 0)");
        }
        float[] xs = checked(x, 0, (long) outer * n * inner, "reduce " + op, "x");
        float[] os = checked(out, 0, (long) outer * inner, "reduce " + op, "out");
        Rows.reduce(this, op, xs, outer, n, inner, os);
    }

    @Override
    public void softmax(Buffer x, int outer, int n, int inner, boolean log, Buffer y) {
        dims(outer, n, inner, "softmax");
        long total = (long) outer * n * inner;
        float[] xs = checked(x, 0, total, "softmax", "x");
        float[] ys = checked(y, 0, total, "softmax", "y");
        Rows.softmax(this, xs, outer, n, inner, log, ys);
    }

    @Override
    public void softmaxBackward(Buffer y, Buffer gy, int outer, int n, int inner, boolean log, Buffer gx) {
        dims(outer, n, inner, "softmaxBackward");
        long total = (long) outer * n * inner;
        float[] ys = checked(y, 0, total, "softmaxBackward", "y");
        float[] gys = checked(gy, 0, total, "softmaxBackward", "gy");
        float[] gxs = checked(gx, 0, total, "softmaxBackward", "gx");
        Rows.softmaxBackward(this, ys, gys, outer, n, inner, log, gxs);
    }

    static void dims(int outer, int n, int inner, String op) {
        if (outer < 0 || n < 0 || inner < 0) {
            throw new IllegalArgumentException(op + ": negative dimension (" + outer + ", " + n + ", " + inner + ")");
        }
    }

    @Override
    public void indexSelect(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out) {
        dims(outer, n, inner, "indexSelect");
        float[] xs = checked(x, 0, (long) outer * n * inner, "indexSelect", "x");
        float[] is = checked(idx, 0, m, "indexSelect", "idx");
        float[] os = checked(out, 0, (long) outer * m * inner, "indexSelect", "out");
        Indexing.indexSelect(xs, outer, n, inner, is, m, os);
    }

    @Override
    public void indexAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out) {
        dims(outer, m, inner, "indexAdd");
        float[] gs = checked(g, 0, (long) outer * m * inner, "indexAdd", "g");
        float[] is = checked(idx, 0, m, "indexAdd", "idx");
        float[] os = checked(out, 0, (long) outer * n * inner, "indexAdd", "out");
        Indexing.indexAdd(gs, outer, m, inner, is, n, os);
    }

    @Override
    public void gather(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out) {
        dims(outer, n, inner, "gather");
        float[] xs = checked(x, 0, (long) outer * n * inner, "gather", "x");
        float[] is = checked(idx, 0, (long) outer * m * inner, "gather", "idx");
        float[] os = checked(out, 0, (long) outer * m * inner, "gather", "out");
        Indexing.gather(xs, outer, n, inner, is, m, os);
    }

    @Override
    public void scatterAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out) {
        dims(outer, m, inner, "scatterAdd");
        float[] gs = checked(g, 0, (long) outer * m * inner, "scatterAdd", "g");
        float[] is = checked(idx, 0, (long) outer * m * inner, "scatterAdd", "idx");
        float[] os = checked(out, 0, (long) outer * n * inner, "scatterAdd", "out");
        Indexing.scatterAdd(gs, outer, m, inner, is, n, os);
    }

    @Override
    public void randomFill(Buffer out, long offset, long n, RandomKind kind, float a, float b, long seed) {
        float[] os = checked(out, offset, n, "randomFill", "out");
        if (kind == null) {
            throw new IllegalArgumentException("randomFill: kind is null");
        }
        forRange(n, (f, t) -> Indexing.random(os, (int) offset, f, t, kind, a, b, seed));
    }

    @Override
    public String toString() {
        return description;
    }
}
