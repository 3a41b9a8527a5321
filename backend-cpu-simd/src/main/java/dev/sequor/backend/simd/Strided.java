package dev.sequor.backend.simd;

import java.util.Arrays;

/**
 * Iteration over strided operands: the shape is first collapsed (size-1 dimensions dropped,
 * dimensions merged where every operand is contiguous across them), then visited as runs along
 * the innermost dimension, so kernels see long runs with one stride per operand.
 */
final class Strided {

    /** Receives one run: {@code len} elements starting at {@code base[k]} of each operand. */
    @FunctionalInterface
    interface RunKernel {
        void run(long[] base, long[] innerStride, int len);
    }

    /**
     * A collapsed iteration space.
     *
     * @param shape   dimensions, outermost first, rank at least 1
     * @param strides per operand, one stride per dimension
     * @param count   number of elements
     */
    record Layout(int[] shape, long[][] strides, long count) {

        int rank() {
            return shape.length;
        }

        int cols() {
            return shape[shape.length - 1];
        }

        long[] innerStrides() {
            long[] s = new long[strides.length];
            for (int k = 0; k < s.length; k++) {
                s[k] = strides[k][shape.length - 1];
            }
            return s;
        }
    }

    private Strided() {
    }

    /** @return dense row-major strides for {@code shape} */
    static long[] dense(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    static long count(int[] shape) {
        long c = 1;
        for (int d : shape) {
            c *= d;
        }
        return c;
    }

    /** Collapses {@code shape} for the given operands' strides (arrays of the shape's rank). */
    static Layout collapse(int[] shape, long[]... strides) {
        int ops = strides.length;
        int[] sh = new int[Math.max(1, shape.length)];
        long[][] st = new long[ops][sh.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = r > 0 && shape[d] != 0 && sh[r - 1] != 0;
            for (int k = 0; merge && k < ops; k++) {
                merge = st[k][r - 1] == strides[k][d] * shape[d];
            }
            if (merge) {
                sh[r - 1] *= shape[d];
                for (int k = 0; k < ops; k++) {
                    st[k][r - 1] = strides[k][d];
                }
            } else {
                sh[r] = shape[d];
                for (int k = 0; k < ops; k++) {
                    st[k][r] = strides[k][d];
                }
                r++;
            }
        }
        if (r == 0) {
            sh[0] = 1;
            r = 1;
        }
        int[] fs = Arrays.copyOf(sh, r);
        long[][] fst = new long[ops][];
        for (int k = 0; k < ops; k++) {
            fst[k] = Arrays.copyOf(st[k], r);
        }
        return new Layout(fs, fst, count(fs));
    }

    /**
     * Visits elements {@code [from, to)} (row-major order over the layout) as runs along the
     * innermost dimension; {@code origin[k]} is operand k's offset of element 0.
     */
    static void forRuns(Layout l, long[] origin, long from, long to, RunKernel kernel) {
        if (from >= to) {
            return;
        }
        int rank = l.rank();
        int ops = origin.length;
        int cols = l.cols();
        long[] inner = l.innerStrides();
        int[] idx = new int[rank];
        long row = from / cols;
        int col = (int) (from - row * cols);
        for (int d = rank - 2; d >= 0; d--) {
            idx[d] = (int) (row % l.shape()[d]);
            row /= l.shape()[d];
        }
        idx[rank - 1] = col;
        long[] base = new long[ops];
        long left = to - from;
        while (left > 0) {
            for (int k = 0; k < ops; k++) {
                long b = origin[k];
                for (int d = 0; d < rank; d++) {
                    b += idx[d] * l.strides()[k][d];
                }
                base[k] = b;
            }
            int len = (int) Math.min(left, cols - idx[rank - 1]);
            kernel.run(base, inner, len);
            left -= len;
            idx[rank - 1] = 0;
            for (int d = rank - 2; d >= 0; d--) {
                if (++idx[d] < l.shape()[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
    }

    /** @return {min, max} element offset reachable by strided access over a non-empty shape */
    static long[] extent(long offset, int[] shape, long[] strides) {
        long lo = offset;
        long hi = offset;
        for (int d = 0; d < shape.length; d++) {
            long span = (long) (shape[d] - 1) * strides[d];
            if (span < 0) {
                lo += span;
            } else {
                hi += span;
            }
        }
        return new long[] {lo, hi};
    }
}
