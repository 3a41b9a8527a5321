package dev.sequor.backend.opencl;

import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.UnaryOp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static dev.sequor.backend.opencl.OpenClTestSupport.download;
import static dev.sequor.backend.opencl.OpenClTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Elementwise kernels against plain scalar loops evaluated in double. */
class ElementwiseTest {

    private static Backend be;
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 2.5f, -3.75f, 20f, -20f, 100f, -100f,
            1e-30f, -1e-30f, 1e-3f, 88f, -88f, 7f, -7f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @BeforeAll
    static void setUp() {
        be = OpenClTestSupport.backend();
    }

    /** Java's double maths; null where Java has no function (erf), tested by value below. */
    private static Double expected(UnaryOp op, float xf) {
        double x = xf;
        return switch (op) {
            case NEG -> (double) -xf;
            case ABS -> (double) Math.abs(xf);
            case SIGN -> (double) Math.signum(xf);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case RECIPROCAL -> 1 / x;
            case SQUARE -> x * x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case RELU -> Float.isNaN(xf) ? x : Math.max(x, 0);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case GELU, GELU_GRAD, ERF -> null;
        };
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesDoubleMaths(UnaryOp op) {
        float[] x = new float[SPECIAL.length + 200];
        System.arraycopy(SPECIAL, 0, x, 0, SPECIAL.length);
        Random r = new Random(op.ordinal());
        for (int i = SPECIAL.length; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 4);
        }
        try (Buffer in = upload(be, x); Buffer out = be.allocate(x.length + 3)) {
            be.unary(op, in, 0, out, 3, x.length);
            float[] got = download(be, out);
            for (int i = 0; i < x.length; i++) {
                Double want = expected(op, x[i]);
                if (want != null) {
                    assertClose(op + "(" + x[i] + ")", (float) (double) want, got[i + 3], 2);
                }
            }
        }
    }

    @Test
    void erfAndGeluAtKnownValues() {
        float[] x = {0f, 0.5f, 1f, -2f, 3f, -10f};
        float[] erf = {0f, 0.5204998778f, 0.8427007929f, -0.9953222650f, 0.9999779095f, -1f};
        // x * Phi(x); Phi(-10) = 7.6198530e-24 keeps the far tail non-zero.
        float[] gelu = {0f, 0.3457312306f, 0.8413447461f, -0.0455002639f, 2.9959502f, -7.6198530e-23f};
        float[] grad = {0.5f, 0.86749512f, 1.08331547f, -0.085231802f, 1.01194565f, -7.6184001e-22f};
        assertUnary(UnaryOp.ERF, x, erf);
        assertUnary(UnaryOp.GELU, x, gelu);
        assertUnary(UnaryOp.GELU_GRAD, x, grad);
    }

    private void assertUnary(UnaryOp op, float[] x, float[] want) {
        try (Buffer in = upload(be, x); Buffer out = be.allocate(x.length)) {
            be.unary(op, in, 0, out, 0, x.length);
            float[] got = download(be, out);
            for (int i = 0; i < x.length; i++) {
                assertClose(op + "(" + x[i] + ")", want[i], got[i], 8);
            }
        }
    }

    @Test
    void unaryInPlace() {
        float[] x = {1, 4, 9};
        try (Buffer b = upload(be, x)) {
            be.unary(UnaryOp.SQRT, b, 1, b, 1, 2);
            assertThat(download(be, b)).containsExactly(1, 2, 3);
        }
    }

    private static float binaryRef(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
        };
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryBroadcastsDenseAndScalar(BinaryOp op) {
        // a: (2, 3, 4) dense; b: (1, 3, 1) broadcast over dims 0 and 2.
        int[] shape = {2, 3, 4};
        float[] a = new float[24];
        Random r = new Random(42 + op.ordinal());
        for (int i = 0; i < a.length; i++) {
            a[i] = i < SPECIAL.length ? SPECIAL[i] : (float) r.nextGaussian();
        }
        float[] b = {0.5f, -2f, Float.NaN};
        try (Buffer ab = upload(be, a); Buffer bb = upload(be, b); Buffer out = be.allocate(24)) {
            be.binary(op, ab, new long[]{12, 4, 1}, bb, new long[]{0, 1, 0}, out, shape);
            float[] got = download(be, out);
            for (int i = 0; i < 24; i++) {
                assertClose(op + " broadcast at " + i, binaryRef(op, a[i], b[(i / 4) % 3]), got[i], 1);
            }
            // dense: a op reversed(a), then scalar
            float[] rev = new float[24];
            for (int i = 0; i < 24; i++) {
                rev[i] = a[23 - i];
            }
            try (Buffer rb = upload(be, rev)) {
                be.binary(op, ab, new long[]{12, 4, 1}, rb, new long[]{12, 4, 1}, out, shape);
                got = download(be, out);
                for (int i = 0; i < 24; i++) {
                    assertClose(op + " dense at " + i, binaryRef(op, a[i], rev[i]), got[i], 1);
                }
            }
            be.scalar(op, ab, -1.5f, out, 24);
            got = download(be, out);
            for (int i = 0; i < 24; i++) {
                assertClose(op + " scalar at " + i, binaryRef(op, a[i], -1.5f), got[i], 1);
            }
        }
    }

    @Test
    void powFollowsMathPow() {
        float[] a = {1f, -1f, 1f, 2f, Float.NaN, 0f, -8f};
        float[] b = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, 0f, -1f, 1f / 3};
        try (Buffer ab = upload(be, a); Buffer bb = upload(be, b); Buffer out = be.allocate(a.length)) {
            be.binary(BinaryOp.POW, ab, new long[]{1}, bb, new long[]{1}, out, new int[]{a.length});
            float[] got = download(be, out);
            for (int i = 0; i < a.length; i++) {
                assertEquals((float) Math.pow(a[i], b[i]), got[i], "pow(" + a[i] + ", " + b[i] + ")");
            }
        }
    }

    @Test
    void affineAndRankZero() {
        try (Buffer x = upload(be, new float[]{1, 2, 3}); Buffer o = be.allocate(3)) {
            be.affine(x, 2f, -1f, x, 3);
            assertThat(download(be, x)).containsExactly(1, 3, 5);
            be.binary(BinaryOp.MUL, x, new long[0], x, new long[0], o, new int[0]);
            assertThat(download(be, o)[0]).isEqualTo(1f);
        }
    }

    @Test
    void whereSelectsWithBroadcastAndNaN() {
        // cond (2, 1) broadcast over 3 columns, a dense (2, 3), b a scalar value (masked fill).
        float[] cond = {0f, Float.NaN};
        float[] a = {1, 2, 3, 4, 5, 6};
        try (Buffer c = upload(be, cond); Buffer ab = upload(be, a); Buffer v = upload(be, new float[]{-9});
             Buffer out = be.allocate(6)) {
            be.where(c, new long[]{1, 0}, ab, new long[]{3, 1}, v, new long[]{0, 0}, out, new int[]{2, 3});
            assertThat(download(be, out)).containsExactly(-9, -9, -9, 4, 5, 6);
        }
    }

    @Test
    void copyStridedTransposesAndSlices() {
        // src (3, 4) transposed into dst columns 1..3 of a (4, 5) block at offset 1.
        float[] src = new float[12];
        for (int i = 0; i < 12; i++) {
            src[i] = i;
        }
        try (Buffer s = upload(be, src); Buffer d = be.allocate(21)) {
            be.copyStrided(s, 0, new long[]{1, 4}, d, 1, new long[]{5, 1}, new int[]{4, 3});
            float[] got = download(be, d);
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(src[c * 4 + r], got[1 + r * 5 + c]);
                }
            }
            assertEquals(0f, got[0]);
            assertEquals(0f, got[4]);
        }
    }

    @Test
    void copyStridedTransposesBatchesOfTilesWithRaggedEdges() {
        checkTranspose(be);
        checkTranspose(OpenClTestSupport.gpuKernelsBackend());
    }

    /** src (2, 37, 40) to dst (2, 40, 37) through a padded dst row: dst[b][i][j] = src[b][j][i]. */
    private static void checkTranspose(Backend each) {
        int bn = 2, rows = 37, cols = 40, ld = 39;
        float[] src = new float[bn * rows * cols];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        try (Buffer s = upload(each, src); Buffer d = each.allocate((long) bn * cols * ld)) {
            each.copyStrided(s, 0, new long[]{(long) rows * cols, 1, cols}, d, 0, new long[]{(long) cols * ld, ld, 1},
                    new int[]{bn, cols, rows});
            float[] got = download(each, d);
            for (int b = 0; b < bn; b++) {
                for (int i = 0; i < cols; i++) {
                    for (int j = 0; j < ld; j++) {
                        float want = j < rows ? src[(b * rows + j) * cols + i] : 0f;
                        assertEquals(want, got[(b * cols + i) * ld + j], each.description() + " at " + b + "," + i + "," + j);
                    }
                }
            }
        }
    }

    static void assertClose(String what, float want, float got, int ulps) {
        if (Float.isNaN(want) || Float.isNaN(got)) {
            assertEquals(want, got, what);   // NaN matches only NaN
            return;
        }
        if (want == got) {
            return;
        }
        float tol = ulps * Math.max(Math.ulp(want), Float.MIN_NORMAL);
        assertThat(Math.abs(got - want)).as(what + ": want " + want + " got " + got).isLessThanOrEqualTo(tol);
    }
}
