package dev.sequor.core;

import dev.sequor.spi.Backend;
import dev.sequor.spi.MatrixView;

import java.util.Arrays;

/** Matrix products on the backend's batched GEMM, with their gradients. */
final class Linalg {

    private Linalg() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        Backend be = Elementwise.sameBackend("matmul", a, b);
        int[] as = a.dims();
        int[] bs = b.dims();
        if (as.length < 2 || bs.length < 2) {
            throw new IllegalArgumentException("matmul: operands need rank >= 2, got " + Shapes.str(as) + " and "
                    + Shapes.str(bs));
        }
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        if (bs[bs.length - 2] != k) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shapes.str(as) + " @ " + Shapes.str(bs));
        }
        if (bs.length == 2) {
            // (..., m, k) @ (k, n): fold the batch into rows, one GEMM
            int rows = Shapes.toInt(a.numel() / Math.max(k, 1), "matmul");
            if (k == 0) {
                rows = Shapes.toInt(Shapes.numel(Arrays.copyOf(as, as.length - 1)), "matmul");
            }
            int[] outShape = as.clone();
            outShape[as.length - 1] = n;
            Tensor out = Tensor.empty(be, outShape);
            be.gemm(false, false, 1, rows, n, k, 1f, MatrixView.of(a.buffer("matmul"), k),
                    MatrixView.of(b.buffer("matmul"), n), 0f, MatrixView.of(out.buf(), n));
            return record(out, a, b);
        }
        int[] batchA = Arrays.copyOf(as, as.length - 2);
        int[] batchB = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shapes.broadcast(batchA, batchB, "matmul");
        Tensor ea = Arrays.equals(batchA, batch) ? a : a.expand(concat(batch, m, k));
        Tensor eb = Arrays.equals(batchB, batch) ? b : b.expand(concat(batch, k, n));
        int count = Shapes.toInt(Shapes.numel(batch), "matmul");
        Tensor out = Tensor.empty(be, concat(batch, m, n));
        be.gemm(false, false, count, m, n, k, 1f, MatrixView.batched(ea.buffer("matmul"), m, k),
                MatrixView.batched(eb.buffer("matmul"), k, n), 0f, MatrixView.batched(out.buf(), m, n));
        return record(out, a, b);
    }

    /** {@code (..., k) @ w^T} for {@code w (n, k)}: a linear layer's product without copying w. */
    static Tensor matmulTransposed(Tensor a, Tensor w) {
        Backend be = Elementwise.sameBackend("matmulTransposed", a, w);
        int[] as = a.dims();
        if (w.rank() != 2 || as.length < 1 || as[as.length - 1] != w.dims()[1]) {
            throw new IllegalArgumentException("matmulTransposed: " + Shapes.str(as) + " @ transpose of "
                    + Shapes.str(w.dims()) + ": the last dimensions must match");
        }
        int k = w.dims()[1];
        int n = w.dims()[0];
        int rows = Shapes.toInt(Shapes.numel(Arrays.copyOf(as, as.length - 1)), "matmulTransposed");
        int[] outShape = as.clone();
        outShape[as.length - 1] = n;
        Tensor out = Tensor.empty(be, outShape);
        be.gemm(false, true, 1, rows, n, k, 1f, MatrixView.of(a.buffer("matmulTransposed"), k),
                MatrixView.of(w.buffer("matmulTransposed"), k), 0f, MatrixView.of(out.buf(), n));
        return Autograd.record(out, "matmulTransposed", g -> {
            Tensor ga = null;
            Tensor gw = null;
            if (a.requiresGrad) {
                ga = Tensor.empty(be, as);
                be.gemm(false, false, 1, rows, k, n, 1f, MatrixView.of(g.buf(), n), MatrixView.of(w.buf(), k), 0f,
                        MatrixView.of(ga.buf(), k));
            }
            if (w.requiresGrad) {
                gw = Tensor.empty(be, w.dims());
                be.gemm(true, false, 1, n, k, rows, 1f, MatrixView.of(g.buf(), n), MatrixView.of(a.buf(), k), 0f,
                        MatrixView.of(gw.buf(), k));
            }
            return new Tensor[] {ga, gw};
        }, a, w);
    }

    private static Tensor record(Tensor out, Tensor a, Tensor b) {
        if (b.rank() == 2) {
            return Autograd.record(out, "matmul", g -> sharedWeightGrads(a, b, g), a, b);
        }
        return Autograd.record(out, "matmul", g -> new Tensor[] {
            a.requiresGrad ? Elementwise.sumToShape(g.matmul(b.transpose(-1, -2)), a.dims()) : null,
            b.requiresGrad ? Elementwise.sumToShape(a.transpose(-1, -2).matmul(g), b.dims()) : null}, a, b);
    }

    /** For {@code (rows, k) @ (k, n)}: dA = g B^T and dB = A^T g as transposed GEMMs, no copies. */
    private static Tensor[] sharedWeightGrads(Tensor a, Tensor b, Tensor g) {
        Backend be = a.backend();
        int k = b.size(0);
        int n = b.size(1);
        int rows = Shapes.toInt(g.numel() / Math.max(n, 1), "matmul backward");
        if (n == 0) {
            rows = Shapes.toInt(a.numel() / Math.max(k, 1), "matmul backward");
        }
        Tensor ga = null;
        Tensor gb = null;
        if (a.requiresGrad) {
            ga = Tensor.empty(be, a.dims());
            be.gemm(false, true, 1, rows, k, n, 1f, MatrixView.of(g.buf(), n), MatrixView.of(b.buf(), n), 0f,
                    MatrixView.of(ga.buf(), k));
        }
        if (b.requiresGrad) {
            gb = Tensor.empty(be, b.dims());
            be.gemm(true, false, 1, k, n, rows, 1f, MatrixView.of(a.buf(), k), MatrixView.of(g.buf(), n), 0f,
                    MatrixView.of(gb.buf(), n));
        }
        return new Tensor[] {ga, gb};
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }
}
