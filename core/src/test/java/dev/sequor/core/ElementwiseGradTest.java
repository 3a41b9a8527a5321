package dev.sequor.core;

import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Finite-difference checks of every elementwise op's backward on the reference backend. */
class ElementwiseGradTest {

    private static final Backend BE = Backends.get("reference");
    private final GradCheck check = GradCheck.on(BE);

    /** Each unary op with an input domain where it is smooth. */
    static Stream<Arguments> unaryOps() {
        return Stream.of(
                unary("neg", Tensor::neg, Domain.ANY),
                unary("abs", Tensor::abs, Domain.NONZERO),
                unary("exp", Tensor::exp, Domain.ANY),
                unary("log", Tensor::log, Domain.POSITIVE),
                unary("sqrt", Tensor::sqrt, Domain.POSITIVE),
                unary("rsqrt", Tensor::rsqrt, Domain.POSITIVE),
                unary("reciprocal", Tensor::reciprocal, Domain.POSITIVE),
                unary("square", Tensor::square, Domain.ANY),
                unary("tanh", Tensor::tanh, Domain.ANY),
                unary("sigmoid", Tensor::sigmoid, Domain.ANY),
                unary("relu", Tensor::relu, Domain.NONZERO),
                unary("gelu", Tensor::gelu, Domain.ANY),
                unary("sin", Tensor::sin, Domain.ANY),
                unary("cos", Tensor::cos, Domain.ANY),
                // sign has zero gradient: x * sign(x) checks that it contributes nothing (d = sign)
                unary("x*sign", x -> x.mul(x.sign()), Domain.NONZERO));
    }

    enum Domain { ANY, POSITIVE, NONZERO }

    private static Arguments unary(String name, Function<Tensor, Tensor> f, Domain d) {
        return Arguments.of(name, f, d);
    }

    private static Tensor input(Domain d, int... shape) {
        return switch (d) {
            case ANY -> Inputs.uniform(BE, -2, 2, 11, shape);
            case POSITIVE -> Inputs.uniform(BE, 0.5, 2, 12, shape);
            case NONZERO -> Inputs.awayFromZero(BE, 13, shape);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryOps")
    void unaryBackward(String name, Function<Tensor, Tensor> f, Domain d) {
        check.check(name, f, input(d, 2, 3));
        check.check(name + " rank 0", f, input(d));
        check.check(name + " rank 3", f, input(d, 2, 1, 2));
    }

    /** Every broadcasting pattern: equal, trailing, leading, both sides, rank 0, fewer dims on either side. */
    static Stream<Arguments> broadcastPatterns() {
        int[][][] pairs = {
            {{2, 3}, {2, 3}}, {{2, 3}, {3}}, {{3}, {2, 3}}, {{2, 3}, {1, 3}}, {{2, 3}, {2, 1}},
            {{2, 1}, {1, 3}}, {{2, 3}, {}}, {{}, {2, 3}}, {{4, 1, 3}, {2, 1}}, {{1}, {2, 2}}, {{2, 1, 1}, {1, 2, 1}}};
        String[] ops = {"add", "sub", "mul", "div", "pow", "maximum", "minimum"};
        return Arrays.stream(ops).flatMap(op -> Arrays.stream(pairs).map(p -> Arguments.of(op, p[0], p[1])));
    }

    private static BiFunction<Tensor, Tensor, Tensor> binary(String op) {
        return switch (op) {
            case "add" -> Tensor::add;
            case "sub" -> Tensor::sub;
            case "mul" -> Tensor::mul;
            case "div" -> Tensor::div;
            case "pow" -> Tensor::pow;
            case "maximum" -> Tensor::maximum;
            case "minimum" -> Tensor::minimum;
            default -> throw new IllegalArgumentException(op);
        };
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("broadcastPatterns")
    void binaryBackward(String op, int[] sa, int[] sb) {
        Tensor a;
        Tensor b;
        switch (op) {
            case "div" -> { a = Inputs.uniform(BE, -2, 2, 1, sa); b = Inputs.uniform(BE, 0.5, 2, 2, sb); }
            case "pow" -> { a = Inputs.uniform(BE, 0.5, 2, 1, sa); b = Inputs.uniform(BE, -1.5, 2.5, 2, sb); }
            case "maximum", "minimum" -> { a = Inputs.grid(BE, 0.05, 1, sa); b = Inputs.grid(BE, 0.2, 2, sb); }
            default -> { a = Inputs.uniform(BE, -2, 2, 1, sa); b = Inputs.uniform(BE, -2, 2, 2, sb); }
        }
        check.check(op + " " + Arrays.toString(sa) + " " + Arrays.toString(sb), binary(op), a, b);
    }

    @Test
    void binaryWithOneOperandConstant() {
        Tensor c = Inputs.uniform(BE, 0.5, 2, 3, 2, 3);
        Tensor x = Inputs.uniform(BE, 0.5, 2, 4, 3);
        check.check("x / c", v -> v.div(c), x);
        check.check("c / x", v -> c.div(v), x);
        check.check("c ^ x", v -> c.pow(v), x);
        check.check("x ^ c", v -> v.pow(c), x);
        check.check("c * x", v -> c.mul(v), x);
    }

    @Test
    void maximumSplitsTheGradientOnTies() {
        Tensor a = Tensor.of(BE, new float[] {1, 2, 3}).requiresGrad(true);
        Tensor b = Tensor.of(BE, new float[] {1, 5, 0}).requiresGrad(true);
        a.maximum(b).sum().backward();
        assertThat(a.grad().toFloatArray()).containsExactly(0.5f, 0f, 1f);
        assertThat(b.grad().toFloatArray()).containsExactly(0.5f, 1f, 0f);
    }

    @Test
    void affinePowClamp() {
        Tensor x = Inputs.uniform(BE, 0.5, 2, 5, 2, 3);
        check.check("affine", v -> v.affine(-1.5f, 0.25f), x);
        check.check("add scalar", v -> v.add(3f), x);
        check.check("sub scalar", v -> v.sub(3f), x);
        check.check("mul scalar", v -> v.mul(-2.5f), x);
        check.check("div scalar", v -> v.div(4f), x);
        for (float p : new float[] {2f, 3f, 0.5f, -1f, -2.5f, 1f, 0f}) {
            check.check("pow " + p, v -> v.pow(p), x);
        }
        Tensor y = Inputs.grid(BE, 0.05, 6, 3, 4); // values 0.3k + 0.05: none within 0.05 of +-0.5
        check.check("clamp", v -> v.clamp(-0.5f, 0.5f), y);
        check.check("clamp one-sided", v -> v.clamp(-0.5f, Float.POSITIVE_INFINITY), y);
    }

    @Test
    void powGradientsAtZeroFollowPyTorch() {
        Tensor x = Tensor.of(BE, new float[] {0, 2}).requiresGrad(true);
        x.pow(0f).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(0, 0);
        Tensor a = Tensor.of(BE, new float[] {0, 0, 2, 0}).requiresGrad(true);
        Tensor e = Tensor.of(BE, new float[] {0, 2, 1, -1}).requiresGrad(true);
        a.pow(e).sum().backward();
        // values from torch 1.13: a.grad [0, 0, 1, -inf], e.grad [0, 0, 2 ln 2, -inf]
        assertThat(a.grad().toFloatArray()).containsExactly(0, 0, 1, Float.NEGATIVE_INFINITY);
        assertThat(e.grad().toFloatArray()).containsExactly(new float[] {0, 0, (float) (2 * Math.log(2)),
            Float.NEGATIVE_INFINITY}, within(1e-6f));
    }

    @Test
    void clampPassesGradientOnlyInside() {
        Tensor x = Tensor.of(BE, new float[] {-2, -0.5f, 0, 0.5f, 2}).requiresGrad(true);
        x.clamp(-1, 1).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(0, 1, 1, 1, 0);
    }

    @Test
    void whereAndMaskedFill() {
        Tensor cond = Inputs.shaped(BE, new float[] {1, 0, 1, 0, 0, 1}, 2, 3);
        Tensor rowCond = Inputs.shaped(BE, new float[] {0, 1}, 2, 1);
        Tensor a = Inputs.uniform(BE, -2, 2, 7, 2, 3);
        Tensor b = Inputs.uniform(BE, -2, 2, 8, 2, 3);
        check.check("where same shapes", (x, y) -> Tensor.where(cond, x, y), a, b);
        check.check("where broadcast cond", (x, y) -> Tensor.where(rowCond, x, y), a, b);
        Tensor row = Inputs.uniform(BE, -2, 2, 9, 3);
        Tensor scalar = Inputs.uniform(BE, -2, 2, 10);
        check.check("where broadcast a and b", (x, y) -> Tensor.where(cond, x, y), row, scalar);
        check.check("where of products", (x, y) -> Tensor.where(cond, x.mul(y), y.exp()), a, b);
        check.check("maskedFill", x -> x.maskedFill(cond, -1e9f).mul(x), a);
        check.check("maskedFill broadcast mask", x -> x.maskedFill(Inputs.shaped(BE, new float[] {1, 0, 0}, 3), 2f), a);
    }

    @Test
    void maskedFillGradientIsZeroWhereFilled() {
        Tensor x = Tensor.of(BE, new float[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor mask = Tensor.of(BE, new float[] {1, 0}, 2);
        x.maskedFill(mask, 7f).mul(3f).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(0, 3, 0, 3);
    }

    @Test
    void comparisonsCarryNoGradient() {
        Tensor x = Tensor.of(BE, new float[] {1, 2, 3}).requiresGrad(true);
        Tensor y = Tensor.of(BE, new float[] {2, 2, 2});
        for (Tensor c : List.of(x.eq(y), x.gt(y), x.lt(y), x.ge(y))) {
            assertThat(c.requiresGrad()).isFalse();
        }
        assertThat(x.gt(y).toFloatArray()).containsExactly(0, 0, 1);
        assertThat(x.ge(y).toFloatArray()).containsExactly(0, 1, 1);
        assertThat(x.lt(y).toFloatArray()).containsExactly(1, 0, 0);
        assertThat(x.eq(y).toFloatArray()).containsExactly(0, 1, 0);
    }

    @Test
    void unaryValuesAgreeWithJavaMath() {
        float[] v = {-1.5f, -0.3f, 0.7f, 1.9f};
        Tensor x = Tensor.of(BE, v);
        float[] th = x.tanh().toFloatArray();
        float[] sg = x.sigmoid().toFloatArray();
        float[] ge = x.gelu().toFloatArray();
        for (int i = 0; i < v.length; i++) {
            assertThat(th[i]).isCloseTo((float) Math.tanh(v[i]), within(1e-7f));
            assertThat(sg[i]).isCloseTo((float) (1 / (1 + Math.exp(-v[i]))), within(1e-7f));
            // GELU(x) = x Phi(x); Phi(0.7) etc. from erf via the identity Phi = (1 + erf(x / sqrt 2)) / 2
            assertThat(ge[i]).isCloseTo((float) (v[i] * phi(v[i])), within(2e-7f));
        }
    }

    /** Standard normal CDF by Simpson integration of the density from 0 (accurate to 1e-12 here). */
    private static double phi(double x) {
        int n = 2000;
        double h = x / n;
        double s = 0;
        for (int i = 0; i <= n; i++) {
            double t = i * h;
            double w = i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2);
            s += w * Math.exp(-t * t / 2);
        }
        return 0.5 + s * h / 3 / Math.sqrt(2 * Math.PI);
    }
}
