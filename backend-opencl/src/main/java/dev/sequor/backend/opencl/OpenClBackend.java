package dev.sequor.backend.opencl;

import dev.sequor.spi.AttentionBias;
import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.BufferPool;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.RecurrentDims;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.RnnActivation;
import dev.sequor.spi.UnaryOp;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The OpenCL backend: buffers live on the device and every primitive is a kernel queued on one
 * in-order command queue, so consecutive ops run back to back without host round trips. Only
 * {@link #download} (a blocking read), {@link #synchronize} and the ops that must report a bad index
 * (index ops, cross-entropy targets) wait for the device. Of the fused tier it overrides attention
 * ({@link AttentionKernels}), layer norm, cross-entropy, the LSTM and GRU sequence forwards and the LSTM,
 * GRU and RNN sequence backwards ({@link RecurrentBackward}); the rest run as the SPI defaults on its
 * primitives.
 *
 * <p>Thread-safety: kernel launches hold the runtime's monitor, so calls from several threads are
 * queued one after the other, as the SPI requires.
 */
final class OpenClBackend implements Backend {

    private final ClRuntime rt;
    private final ClGemm gemm;
    private final IndexKernels index;
    private final FusedKernels fused;
    private final RecurrentKernels recurrent;
    private final AttentionKernels attention;
    private final RecurrentBackward recurrentBackward;
    private final BufferPool<cl_mem> pool;
    // weak, so a buffer dropped unclosed can be collected and its block reclaimed by the pool
    private final Set<ClBuffer> open = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    OpenClBackend(ClRuntime rt) {
        this(rt, DevicePool.create(rt));
    }

    OpenClBackend(ClRuntime rt, BufferPool<cl_mem> pool) {
        this.rt = rt;
        this.pool = pool;
        this.gemm = new ClGemm(rt);
        this.index = new IndexKernels(this, rt);
        this.fused = new FusedKernels(this, rt, index);
        this.recurrent = new RecurrentKernels(this, rt, gemm);
        this.attention = new AttentionKernels(this, rt);
        this.recurrentBackward = new RecurrentBackward(this, rt, gemm, recurrent);
    }

    @Override
    public String name() {
        return OpenClProvider.NAME;
    }

    @Override
    public String description() {
        return "opencl: " + rt.device.describe() + ", GEMM " + gemm.kernelName();
    }

    // ---------------------------------------------------------------- memory

    @Override
    public Buffer allocate(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("allocate: negative length " + length);
        }
        ClBuffer b = new ClBuffer(this, pool, length);
        open.add(b);
        return b;
    }

    void released(ClBuffer b) {
        open.remove(b);
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

    /**
     * @return bytes of device memory in use now: every live buffer plus the backend's own scratch,
     *         not the blocks the pool keeps idle for reuse
     */
    long deviceBytes() {
        return rt.memory.now();
    }

    /** @return the most device memory held at once since creation or {@link #resetPeakDeviceBytes()} */
    long peakDeviceBytes() {
        return rt.memory.peak();
    }

    /** Starts a new peak window for {@link #peakDeviceBytes()} at the current allocation. */
    void resetPeakDeviceBytes() {
        rt.memory.resetPeak();
    }

    @Override
    public void upload(float[] src, int srcOffset, Buffer dst, long dstOffset, int n) {
        cl_mem d = Checks.mem(this, "upload", "dst", dst);
        if (src == null) {
            throw new IllegalArgumentException("upload: host array src is null");
        }
        Checks.range("upload", "host src", srcOffset, n, src.length);
        Checks.range("upload", "dst", dstOffset, n, dst.length());
        if (n > 0) {
            // Blocking: JOCL may not keep a Java array pinned for an asynchronous write.
            CL.clEnqueueWriteBuffer(rt.queue, d, true, dstOffset * Sizeof.cl_float, (long) n * Sizeof.cl_float,
                    Pointer.to(src).withByteOffset((long) srcOffset * Sizeof.cl_float), 0, null, null);
        }
    }

    @Override
    public void download(Buffer src, long srcOffset, float[] dst, int dstOffset, int n) {
        cl_mem s = Checks.mem(this, "download", "src", src);
        if (dst == null) {
            throw new IllegalArgumentException("download: host array dst is null");
        }
        Checks.range("download", "src", srcOffset, n, src.length());
        Checks.range("download", "host dst", dstOffset, n, dst.length);
        if (n > 0) {
            // A blocking read on the in-order queue also waits for everything queued before it.
            CL.clEnqueueReadBuffer(rt.queue, s, true, srcOffset * Sizeof.cl_float, (long) n * Sizeof.cl_float,
                    Pointer.to(dst).withByteOffset((long) dstOffset * Sizeof.cl_float), 0, null, null);
        } else {
            rt.finish();
        }
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n) {
        cl_mem s = Checks.mem(this, "copy", "src", src);
        cl_mem d = Checks.mem(this, "copy", "dst", dst);
        Checks.range("copy", "src", srcOffset, n, src.length());
        Checks.range("copy", "dst", dstOffset, n, dst.length());
        if (n == 0 || (src == dst && srcOffset == dstOffset)) {
            return;
        }
        if (src == dst && Math.abs(srcOffset - dstOffset) < n) {
            throw new IllegalArgumentException("copy: ranges [" + srcOffset + ", " + (srcOffset + n) + ") and ["
                    + dstOffset + ", " + (dstOffset + n) + ") of one buffer overlap");
        }
        CL.clEnqueueCopyBuffer(rt.queue, s, d, srcOffset * Sizeof.cl_float, dstOffset * Sizeof.cl_float,
                n * Sizeof.cl_float, 0, null, null);
    }

    @Override
    public void fill(Buffer dst, long offset, long n, float value) {
        cl_mem d = Checks.mem(this, "fill", "dst", dst);
        Checks.range("fill", "dst", offset, n, dst.length());
        if (n > 0) {
            rt.fill(d, offset, n, value);
        }
    }

    @Override
    public void copyStrided(Buffer src, long srcOffset, long[] srcStrides,
                            Buffer dst, long dstOffset, long[] dstStrides, int[] shape) {
        String op = "copyStrided";
        cl_mem s = Checks.mem(this, op, "src", src);
        cl_mem d = Checks.mem(this, op, "dst", dst);
        long count = Checks.shape(op, shape);
        Checks.strided(op, "src", srcOffset, srcStrides, shape, src.length());
        Checks.strided(op, "dst", dstOffset, dstStrides, shape, dst.length());
        if (count == 0) {
            return;
        }
        StridedLayout l = new StridedLayout(shape, srcStrides, dstStrides);
        int r = l.rank;
        if (r >= 2 && l.strides[0][r - 2] == 1 && l.strides[1][r - 1] == 1 && l.strides[0][r - 1] != 1) {
            // the last two dimensions are transposed: move whole tiles
            long rowsLast = l.shape[r - 2];
            int outer = l.rows() / l.shape[r - 2];
            long tiles = (rowsLast + rt.vectorWidth - 1) / rt.vectorWidth;
            rt.launch2("copy_transpose", (l.rowLength() + rt.vectorWidth - 1) / rt.vectorWidth, outer * tiles,
                    s, srcOffset, l.strides[0], d, dstOffset, l.strides[1], l.shape, r, outer, l.rowLength());
        } else {
            launchStrided("copy_strided", l, s, srcOffset, l.strides[0], d, dstOffset, l.strides[1]);
        }
    }

    @Override
    public void synchronize() {
        rt.finish();
    }

    @Override
    public void close() {
        for (ClBuffer b : new ArrayList<>(open)) {
            b.close();
        }
        pool.close();
        gemm.close();
        index.close();
        rt.close();
    }

    // ---------------------------------------------------------------- compute

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k,
                     float alpha, MatrixView a, MatrixView b, float beta, MatrixView c) {
        gemm.run(this, transA, transB, batch, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    public void unary(UnaryOp op, Buffer x, long xOffset, Buffer out, long outOffset, long n) {
        String name = "unary";
        cl_mem xm = Checks.mem(this, name, "x", x);
        cl_mem om = Checks.mem(this, name, "out", out);
        Checks.range(name, "x", xOffset, n, x.length());
        Checks.range(name, "out", outOffset, n, out.length());
        rt.launchVec("unary_" + op.name(), n, xm, xOffset, om, outOffset, n);
    }

    @Override
    public void binary(BinaryOp op, Buffer a, long[] aStrides, Buffer b, long[] bStrides, Buffer out, int[] shape) {
        String name = "binary";
        cl_mem am = Checks.mem(this, name, "a", a);
        cl_mem bm = Checks.mem(this, name, "b", b);
        cl_mem om = Checks.mem(this, name, "out", out);
        long count = Checks.shape(name, shape);
        Checks.strided(name, "a", 0, aStrides, shape, a.length());
        Checks.strided(name, "b", 0, bStrides, shape, b.length());
        Checks.range(name, "out", 0, count, out.length());
        if (count == 0) {
            return;
        }
        StridedLayout l = new StridedLayout(shape, aStrides, bStrides, StridedLayout.denseStrides(shape));
        if (l.dense(0) && l.dense(1)) {
            rt.launchVec("dense_" + op.name(), count, am, bm, om, count);
        } else {
            launchStrided("binary_" + op.name(), l, am, l.strides[0], bm, l.strides[1], om);
        }
    }

    @Override
    public void scalar(BinaryOp op, Buffer x, float s, Buffer out, long n) {
        cl_mem xm = Checks.mem(this, "scalar", "x", x);
        cl_mem om = Checks.mem(this, "scalar", "out", out);
        Checks.range("scalar", "x", 0, n, x.length());
        Checks.range("scalar", "out", 0, n, out.length());
        rt.launchVec("scalar_" + op.name(), n, xm, s, om, n);
    }

    @Override
    public void affine(Buffer x, float alpha, float beta, Buffer out, long n) {
        cl_mem xm = Checks.mem(this, "affine", "x", x);
        cl_mem om = Checks.mem(this, "affine", "out", out);
        Checks.range("affine", "x", 0, n, x.length());
        Checks.range("affine", "out", 0, n, out.length());
        rt.launchVec("affine", n, xm, alpha, beta, om, n);
    }

    @Override
    public void where(Buffer cond, long[] condStrides, Buffer a, long[] aStrides, Buffer b, long[] bStrides,
                      Buffer out, int[] shape) {
        String name = "where";
        cl_mem cm = Checks.mem(this, name, "cond", cond);
        cl_mem am = Checks.mem(this, name, "a", a);
        cl_mem bm = Checks.mem(this, name, "b", b);
        cl_mem om = Checks.mem(this, name, "out", out);
        long count = Checks.shape(name, shape);
        Checks.strided(name, "cond", 0, condStrides, shape, cond.length());
        Checks.strided(name, "a", 0, aStrides, shape, a.length());
        Checks.strided(name, "b", 0, bStrides, shape, b.length());
        Checks.range(name, "out", 0, count, out.length());
        if (count == 0) {
            return;
        }
        StridedLayout l = new StridedLayout(shape, condStrides, aStrides, bStrides, StridedLayout.denseStrides(shape));
        launchStrided("where_select", l, cm, l.strides[0], am, l.strides[1], bm, l.strides[2], om);
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, int outer, int n, int inner, Buffer out) {
        String name = "reduce";
        cl_mem xm = Checks.mem(this, name, "x", x);
        cl_mem om = Checks.mem(this, name, "out", out);
        Checks.range(name, "x", 0, Checks.sizes(name, outer, n, inner), x.length());
        Checks.range(name, "out", 0, (long) outer * inner, out.length());
        if (n == 0 && (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) && (long) outer * inner > 0) {
            throw new IllegalArgumentException(name + ": " + op + " over an empty axis (n = 0) has no index to return");
        }
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
            rt.launch1("arg_" + op.name(), (long) outer * inner, xm, outer, n, inner, om);
        } else if (inner == 1) {
            rt.launch1("rows_" + op.name(), outer, xm, outer, n, om);
        } else if (op == ReduceOp.SUM || op == ReduceOp.MEAN) {
            long chunks = (inner + rt.vectorWidth - 1) / rt.vectorWidth;
            rt.launch1("cols_sum", outer * chunks, xm, outer, n, inner, op == ReduceOp.MEAN ? 1 : 0, om);
        } else {
            rt.launch1("cols_" + op.name(), (long) outer * inner, xm, outer, n, inner, om);
        }
    }

    @Override
    public void softmax(Buffer x, int outer, int n, int inner, boolean log, Buffer y) {
        String name = "softmax";
        cl_mem xm = Checks.mem(this, name, "x", x);
        cl_mem ym = Checks.mem(this, name, "y", y);
        long count = Checks.sizes(name, outer, n, inner);
        Checks.range(name, "x", 0, count, x.length());
        Checks.range(name, "y", 0, count, y.length());
        if (inner == 1) {
            rt.launch1("rows_softmax", outer, xm, outer, n, log ? 1 : 0, ym);
        } else {
            rt.launch1("cols_softmax", (long) outer * inner, xm, outer, n, inner, log ? 1 : 0, ym);
        }
    }

    @Override
    public void softmaxBackward(Buffer y, Buffer gy, int outer, int n, int inner, boolean log, Buffer gx) {
        String name = "softmaxBackward";
        cl_mem ym = Checks.mem(this, name, "y", y);
        cl_mem gym = Checks.mem(this, name, "gy", gy);
        cl_mem gxm = Checks.mem(this, name, "gx", gx);
        long count = Checks.sizes(name, outer, n, inner);
        Checks.range(name, "y", 0, count, y.length());
        Checks.range(name, "gy", 0, count, gy.length());
        Checks.range(name, "gx", 0, count, gx.length());
        if (inner == 1) {
            rt.launch1("rows_softmax_bwd", outer, ym, gym, outer, n, log ? 1 : 0, gxm);
        } else {
            rt.launch1("cols_softmax_bwd", (long) outer * inner, ym, gym, outer, n, inner, log ? 1 : 0, gxm);
        }
    }

    @Override
    public void indexSelect(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out) {
        index.select(x, outer, n, inner, idx, m, out);
    }

    @Override
    public void indexAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out) {
        index.add(g, outer, m, inner, idx, n, out);
    }

    @Override
    public void gather(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out) {
        index.gather(x, outer, n, inner, idx, m, out);
    }

    @Override
    public void scatterAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out) {
        index.scatterAdd(g, outer, m, inner, idx, n, out);
    }

    /**
     * Launches a strided kernel on its 2-D grid: VEC-element chunks of the last collapsed dimension
     * by rows; the kernel's trailing arguments are the layout's shape, rank, row count and length.
     */
    private void launchStrided(String kernel, StridedLayout l, Object... operands) {
        Object[] args = Arrays.copyOf(operands, operands.length + 4);
        args[operands.length] = l.shape;
        args[operands.length + 1] = l.rank;
        args[operands.length + 2] = l.rows();
        args[operands.length + 3] = l.rowLength();
        rt.launch2(kernel, (l.rowLength() + rt.vectorWidth - 1) / rt.vectorWidth, l.rows(), args);
    }

    @Override
    public void randomFill(Buffer out, long offset, long n, RandomKind kind, float a, float b, long seed) {
        cl_mem om = Checks.mem(this, "randomFill", "out", out);
        Checks.range("randomFill", "out", offset, n, out.length());
        String kernel = switch (kind) {
            case UNIFORM -> "random_uniform";
            case NORMAL -> "random_normal";
            case BERNOULLI -> "random_bernoulli";
        };
        rt.launch1(kernel, n, om, offset, n, a, b, seed);
    }

    // ---------------------------------------------------------------- fused kernels

    @Override
    public void attentionForward(AttentionSpec spec, Buffer q, Buffer k, Buffer v, AttentionBias bias,
                                 Buffer out, Buffer lse) {
        if (AttentionKernels.supports(spec)) {
            attention.forward(spec, q, k, v, bias, out, lse);
        } else {
            Backend.super.attentionForward(spec, q, k, v, bias, out, lse);
        }
    }

    @Override
    public void attentionBackward(AttentionSpec spec, Buffer q, Buffer k, Buffer v, AttentionBias bias,
                                  Buffer out, Buffer lse, Buffer gradOut, Buffer gradQ, Buffer gradK, Buffer gradV) {
        // Forward and backward are chosen by the same test, so a pair is always both ours or both the default's.
        if (AttentionKernels.supports(spec)) {
            attention.backward(spec, q, k, v, bias, out, lse, gradOut, gradQ, gradK, gradV);
        } else {
            Backend.super.attentionBackward(spec, q, k, v, bias, out, lse, gradOut, gradQ, gradK, gradV);
        }
    }

    @Override
    public void layerNormForward(Buffer x, Buffer gamma, Buffer beta, int rows, int cols, float eps,
                                 Buffer y, Buffer mean, Buffer rstd) {
        fused.layerNormForward(x, gamma, beta, rows, cols, eps, y, mean, rstd);
    }

    @Override
    public void layerNormBackward(Buffer gy, Buffer x, Buffer mean, Buffer rstd, Buffer gamma, int rows, int cols,
                                  Buffer gx, Buffer gGamma, Buffer gBeta) {
        fused.layerNormBackward(gy, x, mean, rstd, gamma, rows, cols, gx, gGamma, gBeta);
    }

    @Override
    public void crossEntropyForward(Buffer logits, Buffer targets, int rows, int classes, int ignoreIndex,
                                    float labelSmoothing, Buffer loss, Buffer logProbs) {
        fused.crossEntropyForward(logits, targets, rows, classes, ignoreIndex, labelSmoothing, loss, logProbs);
    }

    @Override
    public void crossEntropyBackward(Buffer logProbs, Buffer targets, Buffer gradLoss, int rows, int classes,
                                     int ignoreIndex, float labelSmoothing, Buffer gradLogits) {
        fused.crossEntropyBackward(logProbs, targets, gradLoss, rows, classes, ignoreIndex, labelSmoothing, gradLogits);
    }

    @Override
    public void lstmSequenceForward(RecurrentDims d, Buffer xProj, Buffer wHh, Buffer h0, Buffer c0,
                                    Buffer out, Buffer hN, Buffer cN, Buffer gates, Buffer cells) {
        // Saves exactly what the default backward reads, in its layout, so either backward may follow.
        recurrent.lstmForward(d, xProj, wHh, h0, c0, out, hN, cN, gates, cells);
    }

    @Override
    public void lstmSequenceBackward(RecurrentDims d, Buffer wHh, Buffer h0, Buffer c0, Buffer out, Buffer gates,
                                     Buffer cells, Buffer gradOut, Buffer gradHN, Buffer gradCN, Buffer gradXProj,
                                     Buffer gradWhh, Buffer gradH0, Buffer gradC0) {
        recurrentBackward.lstm(d, wHh, h0, c0, out, gates, cells, gradOut, gradHN, gradCN, gradXProj, gradWhh,
                gradH0, gradC0);
    }

    @Override
    public void gruSequenceForward(RecurrentDims d, Buffer xProj, Buffer wHh, Buffer bHh, Buffer h0,
                                   Buffer out, Buffer hN, Buffer gates, Buffer hiddenN) {
        // As for the LSTM: the saved buffers hold what the default backward reads.
        recurrent.gruForward(d, xProj, wHh, bHh, h0, out, hN, gates, hiddenN);
    }

    @Override
    public void gruSequenceBackward(RecurrentDims d, Buffer wHh, Buffer h0, Buffer out, Buffer gates, Buffer hiddenN,
                                    Buffer gradOut, Buffer gradHN, Buffer gradXProj, Buffer gradWhh, Buffer gradBhh,
                                    Buffer gradH0) {
        recurrentBackward.gru(d, wHh, h0, out, gates, hiddenN, gradOut, gradHN, gradXProj, gradWhh, gradBhh, gradH0);
    }

    @Override
    public void rnnSequenceBackward(RecurrentDims d, RnnActivation act, Buffer wHh, Buffer h0, Buffer out,
                                    Buffer gradOut, Buffer gradHN, Buffer gradXProj, Buffer gradWhh, Buffer gradH0) {
        // The forward stays the default's; it saves only out, which is all this backward reads.
        recurrentBackward.rnn(d, act, wHh, h0, out, gradOut, gradHN, gradXProj, gradWhh, gradH0);
    }
}
