package dev.sequor.core;

import dev.sequor.spi.Backend;

/** Index select (embeddings) and gather, with their scatter-add gradients. */
final class Indexing {

    private Indexing() {
    }

    static Tensor indexSelect(Tensor x, int axisIn, Tensor indices) {
        Backend be = Elementwise.sameBackend("indexSelect", x, indices);
        int[] in = x.dims();
        int axis = Shapes.axis(axisIn, in.length, "indexSelect");
        int outer = Shapes.outer(in, axis);
        int n = in[axis];
        int inner = Shapes.inner(in, axis);
        int m = Shapes.toInt(indices.numel(), "indexSelect");
        int[] idxShape = indices.dims();
        int[] outShape = new int[in.length - 1 + idxShape.length];
        int k = 0;
        for (int i = 0; i < axis; i++) {
            outShape[k++] = in[i];
        }
        for (int d : idxShape) {
            outShape[k++] = d;
        }
        for (int i = axis + 1; i < in.length; i++) {
            outShape[k++] = in[i];
        }
        Tensor out = Tensor.empty(be, outShape);
        be.indexSelect(x.buffer("indexSelect"), outer, n, inner, indices.buffer("indexSelect"), m, out.buf());
        return Autograd.record(out, "indexSelect", g -> {
            Tensor gx = Tensor.empty(be, in);
            be.indexAdd(g.buf(), outer, m, inner, indices.buf(), n, gx.buf());
            return new Tensor[] {gx, null};
        }, x, indices);
    }

    static Tensor gather(Tensor x, int axisIn, Tensor index) {
        Backend be = Elementwise.sameBackend("gather", x, index);
        int[] in = x.dims();
        int[] is = index.dims();
        int axis = Shapes.axis(axisIn, in.length, "gather");
        boolean ok = is.length == in.length;
        for (int i = 0; ok && i < in.length; i++) {
            ok = i == axis || is[i] == in[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("gather: index shape " + Shapes.str(is) + " must match input shape "
                    + Shapes.str(in) + " except along axis " + axisIn);
        }
        int outer = Shapes.outer(in, axis);
        int n = in[axis];
        int inner = Shapes.inner(in, axis);
        int m = is[axis];
        Tensor out = Tensor.empty(be, is);
        be.gather(x.buffer("gather"), outer, n, inner, index.buffer("gather"), m, out.buf());
        return Autograd.record(out, "gather", g -> {
            Tensor gx = Tensor.empty(be, in);
            be.scatterAdd(g.buf(), outer, m, inner, index.buf(), n, gx.buf());
            return new Tensor[] {gx, null};
        }, x, index);
    }

    /** {@code out[..., i, ...] = x[..., n - 1 - i, ...]} along {@code axis}: an index select, so its gradient is a flip too. */
    static Tensor flip(Tensor x, int axisIn) {
        int axis = Shapes.axis(axisIn, x.rank(), "flip");
        int n = x.dims()[axis];
        float[] rev = new float[n];
        for (int i = 0; i < n; i++) {
            rev[i] = n - 1 - i;
        }
        // not closed here: the recorded backward reads the indices
        return indexSelect(x, axis, Tensor.of(x.backend(), rev, n));
    }
}
