package dev.sequor.core;

import java.util.Locale;

/** Readable text for tensors, like PyTorch's: nested brackets, at most a few values per axis. */
final class TensorFormat {

    private static final int EDGE = 3;
    private static final int FULL_LIMIT = 1000;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        int[] shape = t.dims();
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.numel() > Integer.MAX_VALUE / 2) {
            sb.append("...");
        } else {
            float[] v = t.toFloatArray();
            boolean summarise = v.length > FULL_LIMIT;
            append(sb, v, shape, 0, 0, summarise, 7);
        }
        sb.append(", shape=").append(Shapes.str(shape)).append(", backend=").append(t.backend().name());
        if (t.requiresGrad()) {
            sb.append(t.isLeaf() ? ", requiresGrad" : ", gradFn=" + t.node.op);
        }
        return sb.append(')').toString();
    }

    private static void append(StringBuilder sb, float[] v, int[] shape, int axis, int offset, boolean summarise,
                               int indent) {
        if (shape.length == 0) {
            sb.append(value(v[0]));
            return;
        }
        int n = shape[axis];
        int stride = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            stride *= shape[i];
        }
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) {
                sb.append(axis == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + axis + 1));
                i = n - EDGE - 1;
                continue;
            }
            if (axis == shape.length - 1) {
                sb.append(value(v[offset + i]));
            } else {
                append(sb, v, shape, axis + 1, offset + i * stride, summarise, indent);
            }
            if (i < n - 1) {
                sb.append(axis == shape.length - 1 ? ", " : ",\n" + " ".repeat(indent + axis + 1));
            }
        }
        sb.append(']');
    }

    private static String value(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return Float.toString(f);
        }
        return String.format(Locale.ROOT, "%.4f", f);
    }
}
