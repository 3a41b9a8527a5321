package dev.sequor.backend.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 16 x 16 float transpose in registers, for packing a transposed B (a {@code Linear} weight
 * stored {@code (out, in)}) four times faster than element by element. Four stages swap blocks of
 * 8, 4, 2 and 1 lanes between row pairs with two-vector rearranges. Written out with locals: held
 * in an array the vectors are not scalarised and the transpose runs 15 times slower.
 * Only for 16-lane floats ({@link #AVAILABLE}); other widths pack element by element.
 */
final class Transpose16 {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Whether the preferred species has the 16 lanes this transpose is written for. */
    static final boolean AVAILABLE = S.length() == 16;

    private static final VectorShuffle<Float> LO8 = AVAILABLE ? shuffle(8, true) : null;
    private static final VectorShuffle<Float> HI8 = AVAILABLE ? shuffle(8, false) : null;
    private static final VectorShuffle<Float> LO4 = AVAILABLE ? shuffle(4, true) : null;
    private static final VectorShuffle<Float> HI4 = AVAILABLE ? shuffle(4, false) : null;
    private static final VectorShuffle<Float> LO2 = AVAILABLE ? shuffle(2, true) : null;
    private static final VectorShuffle<Float> HI2 = AVAILABLE ? shuffle(2, false) : null;
    private static final VectorShuffle<Float> LO1 = AVAILABLE ? shuffle(1, true) : null;
    private static final VectorShuffle<Float> HI1 = AVAILABLE ? shuffle(1, false) : null;

    private Transpose16() {
    }

    /**
     * For rows a (first operand) and b (second) of a pair h apart: the low result takes a's lanes
     * whose bit h is clear and b's lanes shifted up by h; the high result the rest. Indices of 16
     * and above select from the second vector.
     */
    private static VectorShuffle<Float> shuffle(int h, boolean low) {
        int[] idx = new int[16];
        for (int lane = 0; lane < 16; lane++) {
            boolean first = (lane & h) == 0;
            idx[lane] = low ? (first ? lane : lane - h + 16) : (first ? lane + h : lane + 16);
        }
        return VectorShuffle.fromArray(S, idx, 0);
    }

    /**
     * {@code dst[dOff + r*ldd + c] = src[so + c*lds + r]} for {@code r, c < 16}.
     * Inner kernel: written out so the sixteen rows stay in registers.
     */
    static void transpose(float[] src, int so, int lds, float[] dst, int dOff, int ldd) {
        FloatVector v0 = FloatVector.fromArray(S, src, so + 0 * lds);
        FloatVector v1 = FloatVector.fromArray(S, src, so + 1 * lds);
        FloatVector v2 = FloatVector.fromArray(S, src, so + 2 * lds);
        FloatVector v3 = FloatVector.fromArray(S, src, so + 3 * lds);
        FloatVector v4 = FloatVector.fromArray(S, src, so + 4 * lds);
        FloatVector v5 = FloatVector.fromArray(S, src, so + 5 * lds);
        FloatVector v6 = FloatVector.fromArray(S, src, so + 6 * lds);
        FloatVector v7 = FloatVector.fromArray(S, src, so + 7 * lds);
        FloatVector v8 = FloatVector.fromArray(S, src, so + 8 * lds);
        FloatVector v9 = FloatVector.fromArray(S, src, so + 9 * lds);
        FloatVector v10 = FloatVector.fromArray(S, src, so + 10 * lds);
        FloatVector v11 = FloatVector.fromArray(S, src, so + 11 * lds);
        FloatVector v12 = FloatVector.fromArray(S, src, so + 12 * lds);
        FloatVector v13 = FloatVector.fromArray(S, src, so + 13 * lds);
        FloatVector v14 = FloatVector.fromArray(S, src, so + 14 * lds);
        FloatVector v15 = FloatVector.fromArray(S, src, so + 15 * lds);
        FloatVector t;
        t = v0.rearrange(LO8, v8);
        v8 = v0.rearrange(HI8, v8);
        v0 = t;
        t = v1.rearrange(LO8, v9);
        v9 = v1.rearrange(HI8, v9);
        v1 = t;
        t = v2.rearrange(LO8, v10);
        v10 = v2.rearrange(HI8, v10);
        v2 = t;
        t = v3.rearrange(LO8, v11);
        v11 = v3.rearrange(HI8, v11);
        v3 = t;
        t = v4.rearrange(LO8, v12);
        v12 = v4.rearrange(HI8, v12);
        v4 = t;
        t = v5.rearrange(LO8, v13);
        v13 = v5.rearrange(HI8, v13);
        v5 = t;
        t = v6.rearrange(LO8, v14);
        v14 = v6.rearrange(HI8, v14);
        v6 = t;
        t = v7.rearrange(LO8, v15);
        v15 = v7.rearrange(HI8, v15);
        v7 = t;
        t = v0.rearrange(LO4, v4);
        v4 = v0.rearrange(HI4, v4);
        v0 = t;
        t = v1.rearrange(LO4, v5);
        v5 = v1.rearrange(HI4, v5);
        v1 = t;
        t = v2.rearrange(LO4, v6);
        v6 = v2.rearrange(HI4, v6);
        v2 = t;
        t = v3.rearrange(LO4, v7);
        v7 = v3.rearrange(HI4, v7);
        v3 = t;
        t = v8.rearrange(LO4, v12);
        v12 = v8.rearrange(HI4, v12);
        v8 = t;
        t = v9.rearrange(LO4, v13);
        v13 = v9.rearrange(HI4, v13);
        v9 = t;
        t = v10.rearrange(LO4, v14);
        v14 = v10.rearrange(HI4, v14);
        v10 = t;
        t = v11.rearrange(LO4, v15);
        v15 = v11.rearrange(HI4, v15);
        v11 = t;
        t = v0.rearrange(LO2, v2);
        v2 = v0.rearrange(HI2, v2);
        v0 = t;
        t = v1.rearrange(LO2, v3);
        v3 = v1.rearrange(HI2, v3);
        v1 = t;
        t = v4.rearrange(LO2, v6);
        v6 = v4.rearrange(HI2, v6);
        v4 = t;
        t = v5.rearrange(LO2, v7);
        v7 = v5.rearrange(HI2, v7);
        v5 = t;
        t = v8.rearrange(LO2, v10);
        v10 = v8.rearrange(HI2, v10);
        v8 = t;
        t = v9.rearrange(LO2, v11);
        v11 = v9.rearrange(HI2, v11);
        v9 = t;
        t = v12.rearrange(LO2, v14);
        v14 = v12.rearrange(HI2, v14);
        v12 = t;
        t = v13.rearrange(LO2, v15);
        v15 = v13.rearrange(HI2, v15);
        v13 = t;
        t = v0.rearrange(LO1, v1);
        v1 = v0.rearrange(HI1, v1);
        v0 = t;
        t = v2.rearrange(LO1, v3);
        v3 = v2.rearrange(HI1, v3);
        v2 = t;
        t = v4.rearrange(LO1, v5);
        v5 = v4.rearrange(HI1, v5);
        v4 = t;
        t = v6.rearrange(LO1, v7);
        v7 = v6.rearrange(HI1, v7);
        v6 = t;
        t = v8.rearrange(LO1, v9);
        v9 = v8.rearrange(HI1, v9);
        v8 = t;
        t = v10.rearrange(LO1, v11);
        v11 = v10.rearrange(HI1, v11);
        v10 = t;
        t = v12.rearrange(LO1, v13);
        v13 = v12.rearrange(HI1, v13);
        v12 = t;
        t = v14.rearrange(LO1, v15);
        v15 = v14.rearrange(HI1, v15);
        v14 = t;
        v0.intoArray(dst, dOff + 0 * ldd);
        v1.intoArray(dst, dOff + 1 * ldd);
        v2.intoArray(dst, dOff + 2 * ldd);
        v3.intoArray(dst, dOff + 3 * ldd);
        v4.intoArray(dst, dOff + 4 * ldd);
        v5.intoArray(dst, dOff + 5 * ldd);
        v6.intoArray(dst, dOff + 6 * ldd);
        v7.intoArray(dst, dOff + 7 * ldd);
        v8.intoArray(dst, dOff + 8 * ldd);
        v9.intoArray(dst, dOff + 9 * ldd);
        v10.intoArray(dst, dOff + 10 * ldd);
        v11.intoArray(dst, dOff + 11 * ldd);
        v12.intoArray(dst, dOff + 12 * ldd);
        v13.intoArray(dst, dOff + 13 * ldd);
        v14.intoArray(dst, dOff + 14 * ldd);
        v15.intoArray(dst, dOff + 15 * ldd);
    }
}
