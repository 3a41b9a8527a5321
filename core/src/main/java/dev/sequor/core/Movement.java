package dev.sequor.core;

import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reshape (a view), permute, narrow, expand, split, concat and stack, with their gradients. */
final class Movement {

    private Movement() {
    }

    static Tensor reshape(Tensor x, int[] newShape) {
        int[] in = x.dims();
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension can be -1 in " + Shapes.str(newShape));
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + Shapes.str(newShape));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.numel() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(in) + " into " + Shapes.str(newShape));
            }
            s[infer] = (int) (x.numel() / known);
        }
        if (Shapes.numel(s) != x.numel()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(in) + " (" + x.numel()
                    + " elements) into " + Shapes.str(newShape));
        }
        x.buffer("reshape");
        Tensor out = x.view(s);
        return Autograd.record(out, "reshape", g -> new Tensor[] {g.reshape(in)}, x);
    }

    static Tensor permute(Tensor x, int[] perm) {
        int[] in = x.dims();
        if (perm.length != in.length) {
            throw new IllegalArgumentException("permute: " + perm.length + " axes given for a tensor of shape " + Shapes.str(in));
        }
        boolean[] seen = new boolean[in.length];
        int[] p = new int[perm.length];
        int[] outShape = new int[in.length];
        long[] dense = Shapes.strides(in);
        long[] srcStrides = new long[in.length];
        for (int i = 0; i < perm.length; i++) {
            p[i] = Shapes.axis(perm[i], in.length, "permute");
            if (seen[p[i]]) {
                throw new IllegalArgumentException("permute: axis " + perm[i] + " repeated in " + Shapes.str(perm));
            }
            seen[p[i]] = true;
            outShape[i] = in[p[i]];
            srcStrides[i] = dense[p[i]];
        }
        Backend be = x.backend();
        Tensor out = Tensor.empty(be, outShape);
        be.copyStrided(x.buffer("permute"), 0, srcStrides, out.buf(), 0, Shapes.strides(outShape), outShape);
        int[] inverse = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            inverse[p[i]] = i;
        }
        return Autograd.record(out, "permute", g -> new Tensor[] {g.permute(inverse)}, x);
    }

    static Tensor transpose(Tensor x, int a, int b) {
        int rank = x.rank();
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        int ia = Shapes.axis(a, rank, "transpose");
        int ib = Shapes.axis(b, rank, "transpose");
        perm[ia] = ib;
        perm[ib] = ia;
        return permute(x, perm);
    }

    static Tensor narrow(Tensor x, int axisIn, int start, int length) {
        int[] in = x.dims();
        int axis = Shapes.axis(axisIn, in.length, "narrow");
        if (start < 0 || length < 0 || start + length > in[axis]) {
            throw new IndexOutOfBoundsException("narrow: range [" + start + ", " + (start + length) + ") out of bounds for axis "
                    + axisIn + " of size " + in[axis] + " in shape " + Shapes.str(in));
        }
        int[] outShape = in.clone();
        outShape[axis] = length;
        Backend be = x.backend();
        Tensor out = Tensor.empty(be, outShape);
        long[] dense = Shapes.strides(in);
        be.copyStrided(x.buffer("narrow"), start * dense[axis], dense, out.buf(), 0, Shapes.strides(outShape), outShape);
        return Autograd.record(out, "narrow", g -> {
            Tensor gx = Tensor.empty(be, in);
            be.copyStrided(g.buf(), 0, Shapes.strides(outShape), gx.buf(), start * dense[axis], dense, outShape);
            return new Tensor[] {gx};
        }, x);
    }

    static Tensor select(Tensor x, int axisIn, int index) {
        int axis = Shapes.axis(axisIn, x.rank(), "select");
        if (index < 0 || index >= x.dims()[axis]) {
            throw new IndexOutOfBoundsException("select: index " + index + " out of bounds for axis " + axisIn
                    + " of size " + x.dims()[axis]);
        }
        return squeeze(narrow(x, axis, index, 1), axis);
    }

    static Tensor unsqueeze(Tensor x, int axisIn) {
        int[] in = x.dims();
        int axis = Shapes.axis(axisIn, in.length + 1, "unsqueeze");
        int[] s = new int[in.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            s[i] = i == axis ? 1 : in[j++];
        }
        return reshape(x, s);
    }

    static Tensor squeeze(Tensor x, int axisIn) {
        int[] in = x.dims();
        int axis = Shapes.axis(axisIn, in.length, "squeeze");
        if (in[axis] != 1) {
            throw new IllegalArgumentException("squeeze: axis " + axisIn + " has size " + in[axis] + ", not 1, in "
                    + Shapes.str(in));
        }
        return reshape(x, Reductions.reducedShape(in, axis, false));
    }

    static Tensor expand(Tensor x, int[] shape) {
        int[] in = x.dims();
        int[] b = Shapes.broadcast(in, shape, "expand");
        if (!Arrays.equals(b, shape)) {
            throw new IllegalArgumentException("expand: " + Shapes.str(in) + " cannot be expanded to " + Shapes.str(shape));
        }
        if (Arrays.equals(in, shape)) {
            return x;
        }
        Backend be = x.backend();
        Tensor out = Tensor.empty(be, shape);
        be.copyStrided(x.buffer("expand"), 0, Shapes.broadcastStrides(in, shape), out.buf(), 0, Shapes.strides(shape), shape);
        return Autograd.record(out, "expand", g -> new Tensor[] {Elementwise.sumToShape(g, in)}, x);
    }

    static List<Tensor> split(Tensor x, int axisIn, int[] sizes) {
        int axis = Shapes.axis(axisIn, x.rank(), "split");
        int total = 0;
        for (int s : sizes) {
            total += s;
        }
        if (total != x.dims()[axis]) {
            throw new IllegalArgumentException("split: sizes " + Shapes.str(sizes) + " add up to " + total
                    + " but axis " + axisIn + " of " + Shapes.str(x.dims()) + " has " + x.dims()[axis]);
        }
        List<Tensor> parts = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            parts.add(narrow(x, axis, start, s));
            start += s;
        }
        return parts;
    }

    static List<Tensor> chunk(Tensor x, int chunks, int axisIn) {
        int axis = Shapes.axis(axisIn, x.rank(), "chunk");
        int n = x.dims()[axis];
        if (chunks <= 0 || n % chunks != 0) {
            throw new IllegalArgumentException("chunk: axis " + axisIn + " of size " + n + " does not split into "
                    + chunks + " equal chunks");
        }
        int[] sizes = new int[chunks];
        Arrays.fill(sizes, n / chunks);
        return split(x, axis, sizes);
    }

    static Tensor concat(int axisIn, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        Tensor first = parts.get(0);
        int rank = first.rank();
        int axis = Shapes.axis(axisIn, rank, "concat");
        int[] outShape = first.dims().clone();
        outShape[axis] = 0;
        for (Tensor t : parts) {
            int[] s = t.dims();
            Elementwise.sameBackend("concat", first, t);
            boolean ok = s.length == rank;
            for (int i = 0; ok && i < rank; i++) {
                ok = i == axis || s[i] == first.dims()[i];
            }
            if (!ok) {
                throw new IllegalArgumentException("concat: shapes " + Shapes.str(first.dims()) + " and " + Shapes.str(s)
                        + " differ outside axis " + axisIn);
            }
            outShape[axis] += s[axis];
        }
        Backend be = first.backend();
        Tensor out = Tensor.empty(be, outShape);
        long[] outStrides = Shapes.strides(outShape);
        long offset = 0;
        int[] sizes = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            sizes[i] = t.dims()[axis];
            be.copyStrided(t.buffer("concat"), 0, Shapes.strides(t.dims()), out.buf(), offset, outStrides, t.dims());
            offset += sizes[i] * outStrides[axis];
        }
        return Autograd.record(out, "concat", g -> split(g, axis, sizes).toArray(new Tensor[0]),
                parts.toArray(new Tensor[0]));
    }

    static Tensor stack(int axis, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("stack: no tensors given");
        }
        int a = Shapes.axis(axis, parts.get(0).rank() + 1, "stack");
        List<Tensor> un = new ArrayList<>(parts.size());
        for (Tensor t : parts) {
            if (!Arrays.equals(t.dims(), parts.get(0).dims())) {
                throw new IllegalArgumentException("stack: shapes " + Shapes.str(parts.get(0).dims()) + " and "
                        + Shapes.str(t.dims()) + " differ");
            }
            un.add(unsqueeze(t, a));
        }
        return concat(a, un);
    }
}
