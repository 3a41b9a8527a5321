package dev.sequor.conformance;

import static dev.sequor.conformance.KitAssertions.assertClose;

import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link BinaryOp} with broadcasting in every pattern (same shape, scalar, row, column, middle
 * axis, both sides broadcast, a transposed operand, rank 0, a 0-size dim), in place, and through
 * {@code scalar}; plus {@code affine}. Comparisons, max and min must be exact; arithmetic is held
 * to {@link OpFamily#ARITHMETIC}.
 */
public interface BinaryConformance extends BackendUnderTest {

    /**
     * Broadcast patterns: iteration shape, a's length and strides, b's length and strides.
     *
     * @param name     what the pattern is
     * @param shape    the iteration (output) shape
     * @param aLength  elements a holds
     * @param aStrides a's strides
     * @param bLength  elements b holds
     * @param bStrides b's strides
     */
    record Pattern(String name, int[] shape, int aLength, long[] aStrides, int bLength, long[] bStrides) {
    }

    /** @return the broadcast patterns every binary op is run over */
    static Pattern[] patterns() {
        return new Pattern[] {
            new Pattern("same shape (5,7)", new int[] {5, 7}, 35, new long[] {7, 1}, 35, new long[] {7, 1}),
            new Pattern("scalar b", new int[] {5, 7}, 35, new long[] {7, 1}, 1, new long[] {0, 0}),
            new Pattern("row b (1,7)", new int[] {5, 7}, 35, new long[] {7, 1}, 7, new long[] {0, 1}),
            new Pattern("column b (5,1)", new int[] {5, 7}, 35, new long[] {7, 1}, 5, new long[] {1, 0}),
            new Pattern("middle axis b (3,1,5)", new int[] {3, 4, 5}, 60, new long[] {20, 5, 1},
                    15, new long[] {5, 0, 1}),
            new Pattern("both sides (5,1) op (1,7)", new int[] {5, 7}, 5, new long[] {1, 0}, 7, new long[] {0, 1}),
            new Pattern("scalar a", new int[] {3, 17}, 1, new long[] {0, 0}, 51, new long[] {17, 1}),
            new Pattern("transposed a", new int[] {5, 7}, 35, new long[] {1, 5}, 35, new long[] {7, 1}),
            new Pattern("tail (1,130)", new int[] {1, 130}, 130, new long[] {130, 1}, 130, new long[] {130, 1}),
            new Pattern("row tail (3,33)", new int[] {3, 33}, 99, new long[] {33, 1}, 33, new long[] {0, 1}),
            new Pattern("rank 0", new int[0], 1, new long[0], 1, new long[0]),
            new Pattern("0-size dim (0,3)", new int[] {0, 3}, 1, new long[] {3, 1}, 1, new long[] {3, 1}),
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BinaryOp.class)
    default void binaryMatchesOracleInEveryBroadcastPattern(BinaryOp op) {
        for (Pattern p : patterns()) {
            float[] a = operand(op, p.aLength(), op.ordinal() * 7L + 1, true);
            float[] b = operand(op, p.bLength(), op.ordinal() * 7L + 2, false);
            int count = Oracle.count(p.shape());
            double[] expected = new double[count];
            for (int e = 0; e < count; e++) {
                expected[e] = Oracle.binary(op, a[(int) Oracle.stridedPosition(e, p.shape(), 0, p.aStrides())],
                        b[(int) Oracle.stridedPosition(e, p.shape(), 0, p.bStrides())]);
            }
            try (Buffer ab = upload(a); Buffer bb = upload(b); Buffer out = backend().allocate(count)) {
                backend().binary(op, ab, p.aStrides(), bb, p.bStrides(), out, p.shape());
                assertClose(download(out), expected, tolerance(op), "binary " + op + ", " + p.name());
            }
        }
    }

    @Test
    default void binaryInPlaceIntoEitherOperand() {
        float[] a = Inputs.uniform(61, 35, -2, 2);
        float[] row = Inputs.uniform(62, 7, -2, 2);
        double[] expected = new double[35];
        for (int i = 0; i < 35; i++) {
            expected[i] = (double) a[i] * row[i % 7];
        }
        try (Buffer ab = upload(a); Buffer rb = upload(row)) {
            backend().binary(BinaryOp.MUL, ab, new long[] {7, 1}, rb, new long[] {0, 1}, ab, new int[] {5, 7});
            assertClose(download(ab), expected, tolerance(OpFamily.ARITHMETIC), "mul in place, out == a");
        }
        try (Buffer s = upload(3f); Buffer bb = upload(a)) {
            backend().binary(BinaryOp.SUB, s, new long[] {0}, bb, new long[] {1}, bb, new int[] {35});
            double[] e = new double[35];
            for (int i = 0; i < 35; i++) {
                e[i] = 3.0 - a[i];
            }
            assertClose(download(bb), e, tolerance(OpFamily.ARITHMETIC), "sub in place, out == b");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BinaryOp.class)
    default void scalarMatchesOracle(BinaryOp op) {
        for (float s : new float[] {2.5f, -0.5f, 0f, Float.NaN}) {
            for (int n : new int[] {0, 1, 67}) {
                float[] x = operand(op, n, n * 3L + op.ordinal(), true);
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = Oracle.binary(op, x[i], s);
                }
                try (Buffer xb = upload(x); Buffer out = backend().allocate(n)) {
                    backend().scalar(op, xb, s, out, n);
                    assertClose(download(out), expected, tolerance(op), "scalar " + op + " " + s + " n=" + n);
                    backend().scalar(op, xb, s, xb, n);
                    assertClose(download(xb), expected, tolerance(op), "scalar " + op + " " + s + " in place");
                }
            }
        }
    }

    @Test
    default void affineMatchesOracleAndWorksInPlace() {
        for (int n : new int[] {0, 1, 3, 17, 130}) {
            float[] x = Inputs.uniform(70 + n, n, -2, 2);
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                expected[i] = -1.25 * x[i] + 0.75;
            }
            try (Buffer xb = upload(x); Buffer out = backend().allocate(n)) {
                backend().affine(xb, -1.25f, 0.75f, out, n);
                assertClose(download(out), expected, tolerance(OpFamily.ARITHMETIC), "affine n=" + n);
                backend().affine(xb, -1.25f, 0.75f, xb, n);
                assertClose(download(xb), expected, tolerance(OpFamily.ARITHMETIC), "affine in place n=" + n);
            }
        }
    }

    @Test
    default void whereSelectsWithBroadcastingAndNaNCountsAsTrue() {
        float[] cond = {1, 0, Float.NaN, -0f, 2, 0, 0, 1, -1, Float.NaN, 0, 3, 0, 1, 0};
        float[] a = Inputs.uniform(81, 15, -1, 1);
        float[] row = Inputs.uniform(82, 5, 5, 6);
        float fillValue = Float.NEGATIVE_INFINITY;
        int[] shape = {3, 5};
        float[] masked = new float[15];
        float[] rows = new float[15];
        for (int i = 0; i < 15; i++) {
            boolean pick = cond[i] != 0f; // NaN != 0 is true
            masked[i] = pick ? fillValue : a[i];
            rows[i] = pick ? a[i] : row[i % 5];
        }
        try (Buffer cb = upload(cond); Buffer ab = upload(a); Buffer rb = upload(row); Buffer vb = upload(fillValue);
             Buffer out = backend().allocate(15)) {
            // masked fill: where(mask, value, x) with the value read at stride 0
            backend().where(cb, new long[] {5, 1}, vb, new long[] {0, 0}, ab, new long[] {5, 1}, out, shape);
            KitAssertions.assertBitwise(download(out), masked, "where as masked fill");
            backend().where(cb, new long[] {5, 1}, ab, new long[] {5, 1}, rb, new long[] {0, 1}, out, shape);
            KitAssertions.assertBitwise(download(out), rows, "where with a broadcast row for b");
            // a column condition (3,1) broadcast over the rows
            backend().where(cb, new long[] {1, 0}, ab, new long[] {5, 1}, rb, new long[] {0, 1}, out, shape);
            float[] byRow = new float[15];
            for (int i = 0; i < 15; i++) {
                byRow[i] = cond[i / 5] != 0f ? a[i] : row[i % 5];
            }
            KitAssertions.assertBitwise(download(out), byRow, "where with a broadcast column condition");
        }
    }

    private Tolerance tolerance(BinaryOp op) {
        return Oracle.isExact(op) ? Tolerance.EXACT : tolerance(OpFamily.ARITHMETIC);
    }

    /**
     * Inputs suited to the op: small integers for comparisons (so equal values occur), positive
     * bases and moderate exponents for pow, plus NaN, infinities, signed zeros and zero divisors.
     */
    private static float[] operand(BinaryOp op, int n, long seed, boolean left) {
        float[] x = switch (op) {
            case EQ, NE, LT, LE, GT, GE, MAX, MIN -> Inputs.smallIntegers(seed, n, 2);
            case POW -> left ? Inputs.uniform(seed, n, 0.1f, 3f) : Inputs.uniform(seed, n, -3f, 3f);
            default -> Inputs.uniform(seed, n, -2f, 2f);
        };
        float[] special = op == BinaryOp.POW
                ? (left ? new float[] {-2f, -0.5f, 0f, Float.NaN, 1f} : new float[] {3f, -1f, 2f, 2f, Float.NaN})
                : (left ? new float[] {Float.NaN, 1f, Float.POSITIVE_INFINITY, 1f, -0f, 0f}
                        : new float[] {1f, Float.NaN, 1f, 0f, 0f, Float.NEGATIVE_INFINITY});
        // Special values go to the start, which every pattern reads at least once.
        for (int i = 0; i < Math.min(n, special.length); i++) {
            x[i] = special[i];
        }
        return x;
    }
}
