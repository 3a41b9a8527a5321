package dev.sequor.backend.opencl;

/**
 * An iteration shape and the strides of several operands over it, reduced to the fewest dimensions
 * that address the same elements: dimensions of size 1 are dropped and neighbours that every
 * operand walks contiguously ({@code stride[d] == stride[d+1] * shape[d+1]}) are merged. A bias add
 * over {@code (B, T, F)} becomes rank 2, a dense op rank 1, which keeps index arithmetic in the
 * kernels short. Arrays are padded to 8 for the kernels' {@code int8}/{@code long8} arguments.
 */
final class StridedLayout {

    /** The kernels' fixed argument width. */
    static final int SLOTS = 8;

    final int rank;
    final int[] shape = new int[SLOTS];
    final long[][] strides;

    /**
     * @param shape   the iteration shape (rank 0 to 8, no zero dimension)
     * @param strides one stride array per operand, each of the shape's rank
     */
    StridedLayout(int[] shape, long[]... strides) {
        this.strides = new long[strides.length][SLOTS];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (r > 0 && mergeable(r - 1, shape[d], d, strides)) {
                this.shape[r - 1] *= shape[d];
                for (int o = 0; o < strides.length; o++) {
                    this.strides[o][r - 1] = strides[o][d];
                }
                continue;
            }
            this.shape[r] = shape[d];
            for (int o = 0; o < strides.length; o++) {
                this.strides[o][r] = strides[o][d];
            }
            r++;
        }
        if (r == 0) {
            // A single element: rank 1 of size 1 keeps the kernels' loops simple.
            this.shape[0] = 1;
            r = 1;
        }
        this.rank = r;
    }

    /** Whether collapsed dimension {@code prev} can absorb source dimension {@code d} of size {@code size}. */
    private boolean mergeable(int prev, int size, int d, long[][] src) {
        for (int o = 0; o < src.length; o++) {
            if (this.strides[o][prev] != src[o][d] * size) {
                return false;
            }
        }
        return true;
    }

    /** @return the number of rows: the product of all collapsed dimensions but the last */
    int rows() {
        int r = 1;
        for (int d = 0; d < rank - 1; d++) {
            r *= shape[d];
        }
        return r;
    }

    /** @return the length of the last collapsed dimension */
    long rowLength() {
        return shape[rank - 1];
    }

    /** @return whether operand {@code o} is dense in the iteration order (so flat index i is its offset) */
    boolean dense(int o) {
        return rank == 1 && strides[o][0] == 1;
    }

    /** @return the row-major strides of a dense array of {@code shape} */
    static long[] denseStrides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }
}
