package dev.sequor.conformance;

import static dev.sequor.conformance.KitAssertions.assertBitwise;
import static dev.sequor.conformance.KitAssertions.assertClose;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.UnaryOp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link UnaryOp} against {@link Oracle#unary}: random values in [-5, 5] plus zeros, infinities,
 * NaN, values that overflow or underflow (exp of 89, sigmoid of -100), large and subnormal ones.
 * NEG, ABS, SIGN and RELU must be exact; the rest are held to {@link OpFamily#UNARY}.
 */
public interface UnaryConformance extends BackendUnderTest {

    /** Inputs every unary op sees besides the random ones. */
    float[] SPECIAL = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN, 15f, -15f, 88f, 89f, -88f, -89f, 100f, -100f, 1e4f, -1e4f, 1e30f, -1e30f, 1e-30f, -1e-30f,
        1e-40f, -1e-40f, Float.MAX_VALUE, Float.MIN_NORMAL, 0.7853982f, 3.1415927f, -0.75179f};

    @ParameterizedTest(name = "{0}")
    @EnumSource(UnaryOp.class)
    default void unaryMatchesOracleOnRandomAndSpecialValues(UnaryOp op) {
        float[] random = Inputs.uniform(op.ordinal() + 100L, 130, -5, 5);
        float[] x = new float[random.length + SPECIAL.length];
        System.arraycopy(random, 0, x, 0, random.length);
        System.arraycopy(SPECIAL, 0, x, random.length, SPECIAL.length);
        if (op == UnaryOp.SIN || op == UnaryOp.COS) {
            // Beyond 1e4 float arguments are multiples of large powers of two; the kit does not
            // require full-range argument reduction there (no sequence model feeds such angles).
            for (int i = 0; i < x.length; i++) {
                if (Math.abs(x[i]) > 1e4f) {
                    x[i] = Math.copySign(1e4f, x[i]);
                }
            }
        }
        check(op, x, "unary " + op);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(UnaryOp.class)
    default void unaryPropagatesNaN(UnaryOp op) {
        try (Buffer b = upload(Float.NaN, 1f, Float.NaN)) {
            backend().unary(op, b, 0, b, 0, 3);
            float[] y = download(b);
            org.assertj.core.api.Assertions.assertThat(y[0]).as("%s(NaN)", op).isNaN();
            org.assertj.core.api.Assertions.assertThat(y[2]).as("%s(NaN)", op).isNaN();
        }
    }

    @Test
    default void unaryInPlaceWithOffsetsAndEmptyRange() {
        float[] x = Inputs.uniform(7, 40, -3, 3);
        try (Buffer b = upload(x); Buffer other = upload(new float[45])) {
            backend().unary(UnaryOp.TANH, b, 3, b, 3, 33);
            double[] expected = Oracle.widen(x);
            for (int i = 3; i < 36; i++) {
                expected[i] = Math.tanh(x[i]);
            }
            assertClose(download(b), expected, tolerance(OpFamily.UNARY), "tanh in place on [3, 36)");
            backend().unary(UnaryOp.EXP, b, 0, other, 5, 0);
            assertBitwise(download(other), new float[45], "unary over 0 elements writes nothing");
            backend().unary(UnaryOp.NEG, b, 1, other, 4, 17);
            float[] neg = new float[45];
            float[] now = download(b);
            for (int i = 0; i < 17; i++) {
                neg[4 + i] = -now[1 + i];
            }
            assertBitwise(download(other), neg, "neg from offset 1 to offset 4");
        }
    }

    @Test
    default void unaryTailLengths() {
        for (int n : new int[] {1, 3, 17, 33, 67}) {
            check(UnaryOp.SIGMOID, Inputs.uniform(n, n, -20, 20), "sigmoid n=" + n);
            check(UnaryOp.GELU, Inputs.uniform(n + 1, n, -6, 6), "gelu n=" + n);
        }
    }

    private void check(UnaryOp op, float[] x, String what) {
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = Oracle.unary(op, x[i]);
        }
        try (Buffer in = upload(x); Buffer out = backend().allocate(x.length)) {
            backend().unary(op, in, 0, out, 0, x.length);
            Tolerance tol = Oracle.isExact(op) ? Tolerance.EXACT : tolerance(OpFamily.UNARY);
            assertClose(download(out), expected, tol, what);
            assertBitwise(download(in), x, what + " leaves its input alone");
        }
    }
}
