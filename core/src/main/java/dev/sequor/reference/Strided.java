package dev.sequor.reference;

/**
 * Row-major iteration over a shape (rank 0 to 8), keeping the element position of several strided
 * operands up to date like an odometer, so no per-element division is needed.
 */
final class Strided {

    private final int[] shape;
    private final long[][] strides;
    private final int[] idx;
    /** The current position of each operand. */
    final long[] pos;

    /**
     * @param shape   the iteration shape
     * @param offsets the first position of each operand
     * @param strides each operand's strides, one per dimension of {@code shape}
     */
    Strided(int[] shape, long[] offsets, long[]... strides) {
        this.shape = shape;
        this.strides = strides;
        this.idx = new int[shape.length];
        this.pos = offsets.clone();
    }

    /** @return the number of elements in {@code shape} (1 for rank 0) */
    static long count(int[] shape) {
        long c = 1;
        for (int s : shape) {
            c *= s;
        }
        return c;
    }

    /** @return dense row-major strides for {@code shape} */
    static long[] dense(int[] shape) {
        long[] s = new long[shape.length];
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = step;
            step *= shape[d];
        }
        return s;
    }

    /** Moves to the next multi-index in row-major order. */
    void advance() {
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d]++;
            for (int k = 0; k < pos.length; k++) {
                pos[k] += strides[k][d];
            }
            if (idx[d] < shape[d]) {
                return;
            }
            for (int k = 0; k < pos.length; k++) {
                pos[k] -= strides[k][d] * shape[d];
            }
            idx[d] = 0;
        }
    }
}
