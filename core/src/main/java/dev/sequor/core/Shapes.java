package dev.sequor.core;

import java.util.Arrays;

/** Shape arithmetic shared by the tensor ops: sizes, row-major strides, broadcasting, axis checks. */
final class Shapes {

    private Shapes() {
    }

    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    static int[] check(int[] shape, String op) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + Arrays.toString(shape));
            }
        }
        if (shape.length > 8) {
            throw new IllegalArgumentException(op + ": rank " + shape.length + " exceeds 8 in shape " + Arrays.toString(shape));
        }
        long n = 1;
        boolean empty = false;
        for (int d : shape) {
            empty |= d == 0;
        }
        for (int d : shape) {
            if (!empty && n > Long.MAX_VALUE / Math.max(d, 1)) {
                // A wrapped product would pass every later check with a wrong size (even 0).
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape)
                        + " has more elements than a long can count");
            }
            n *= d;
        }
        return shape.clone();
    }

    /** @return dense row-major strides of {@code shape} */
    static long[] strides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** NumPy broadcasting of two shapes; throws naming the op and both shapes. */
    static int[] broadcast(int[] a, int[] b, String op) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides that read a dense tensor of shape {@code in} broadcast to {@code out} (0 on broadcast dims). */
    static long[] broadcastStrides(int[] in, int[] out) {
        long[] dense = strides(in);
        long[] s = new long[out.length];
        int shift = out.length - in.length;
        for (int i = 0; i < in.length; i++) {
            s[i + shift] = in[i] == 1 && out[i + shift] != 1 ? 0 : dense[i];
        }
        return s;
    }

    /** Normalises a possibly negative axis; throws naming the op, the axis and the rank. */
    static int axis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IndexOutOfBoundsException(op + ": axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    static int outer(int[] shape, int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) {
            n *= shape[i];
        }
        return n;
    }

    static int inner(int[] shape, int axis) {
        int n = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    static int toInt(long n, String op) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + n + " elements exceed the int range");
        }
        return (int) n;
    }
}
