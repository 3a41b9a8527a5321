package dev.sequor.core;

import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Finite-difference checks of every reduction, softmax and log-softmax on every axis. */
class ReductionGradTest {

    private static final Backend BE = Backends.get("reference");
    private static final int[] SHAPE = {2, 3, 4};
    private final GradCheck check = GradCheck.on(BE);

    /** Every axis of a rank-3 tensor, given both ways (positive and negative), with and without keepDims. */
    static Stream<Arguments> axes() {
        return IntStream.rangeClosed(-3, 2).boxed()
                .flatMap(a -> Stream.of(Arguments.of(a, true), Arguments.of(a, false)));
    }

    @ParameterizedTest(name = "axis {0} keepDims {1}")
    @MethodSource("axes")
    void reductionsAlongOneAxis(int axis, boolean keep) {
        Tensor x = Inputs.distinct(BE, 21, SHAPE); // distinct values: max/min have a unique winner
        String at = " axis " + axis + " keepDims " + keep;
        check.check("sum" + at, v -> v.sum(axis, keep), x);
        check.check("mean" + at, v -> v.mean(axis, keep), x);
        check.check("max" + at, v -> v.max(axis, keep), x);
        check.check("min" + at, v -> v.min(axis, keep), x);
        check.check("logSumExp" + at, v -> v.logSumExp(axis, keep), x);
        check.check("var" + at, v -> v.var(axis, false, keep), x);
        check.check("var unbiased" + at, v -> v.var(axis, true, keep), x);
        int[] expected = Reductions.reducedShape(SHAPE, Math.floorMod(axis, 3), keep);
        for (Tensor r : new Tensor[] {x.sum(axis, keep), x.max(axis, keep), x.argmax(axis, keep), x.logSumExp(axis, keep)}) {
            assertThat(r.shape()).containsExactly(expected);
        }
    }

    @ParameterizedTest(name = "axis {0}")
    @MethodSource("softmaxAxes")
    void softmaxOnEveryAxis(int axis) {
        Tensor x = Inputs.uniform(BE, -2, 2, 22, SHAPE);
        check.check("softmax axis " + axis, v -> v.softmax(axis), x);
        check.check("logSoftmax axis " + axis, v -> v.logSoftmax(axis), x);
        // composed with a nonlinearity, so the upstream gradient is not the plain weights
        check.check("softmax^2 axis " + axis, v -> v.softmax(axis).square(), x);
        check.check("logSoftmax*x axis " + axis, v -> v.logSoftmax(axis).mul(v), x);
    }

    static IntStream softmaxAxes() {
        return IntStream.rangeClosed(-3, 2);
    }

    @Test
    void wholeTensorAndMultiAxisReductions() {
        Tensor x = Inputs.uniform(BE, -2, 2, 23, SHAPE);
        check.check("sum()", Tensor::sum, x);
        check.check("mean()", Tensor::mean, x);
        check.check("sum(0, 2) keep", v -> v.sum(new int[] {0, 2}, true), x);
        check.check("sum(-1, 0)", v -> v.sum(new int[] {-1, 0}, false), x);
        check.check("sum(all three)", v -> v.sum(new int[] {0, 1, 2}, false), x);
        check.check("sum() of rank 0", Tensor::sum, Inputs.uniform(BE, -1, 1, 24));
        assertThat(x.sum(new int[] {0, 2}, false).shape()).containsExactly(3);
        assertThat(x.sum(new int[] {0, 2}, true).shape()).containsExactly(1, 3, 1);
    }

    @Test
    void maxSendsTheWholeGradientToOneWinner() {
        Tensor x = Tensor.of(BE, new float[] {1, 3, 3, 0}, 1, 4).requiresGrad(true);
        x.max(1, false).sum().backward();
        // ties: the first maximum takes all (as the argmax the backward uses)
        assertThat(x.grad().toFloatArray()).containsExactly(0, 1, 0, 0);
    }

    @Test
    void reductionValuesByHand() {
        Tensor x = Tensor.of(BE, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(x.sum(0, false).toFloatArray()).containsExactly(5, 7, 9);
        assertThat(x.mean(-1, false).toFloatArray()).containsExactly(2, 5);
        assertThat(x.max(1, true).toFloatArray()).containsExactly(3, 6);
        assertThat(x.min(0, false).toFloatArray()).containsExactly(1, 2, 3);
        assertThat(x.argmax(1, false).toFloatArray()).containsExactly(2, 2);
        assertThat(x.argmin(-2, false).toFloatArray()).containsExactly(0, 0, 0);
        assertThat(x.var(1, false, false).toFloatArray()).containsExactly(new float[] {2f / 3, 2f / 3}, within(1e-6f));
        assertThat(x.var(1, true, false).toFloatArray()).containsExactly(new float[] {1f, 1f}, within(1e-6f));
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertThat(x.logSumExp(1, false).toFloatArray()[0]).isCloseTo((float) lse, within(1e-6f));
    }

    @Test
    void softmaxAndLogSumExpAtMagnitude1e4() {
        float[] v = {1e4f, 1e4f + 1, 1e4f - 2, -1e4f};
        Tensor x = Tensor.of(BE, v, 1, 4).requiresGrad(true);
        double m = 1e4 + 1;
        double s = 0;
        for (float e : v) {
            s += Math.exp(e - m);
        }
        float[] p = x.softmax(1).toFloatArray();
        float[] lp = x.logSoftmax(-1).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            assertThat(p[i]).isCloseTo((float) (Math.exp(v[i] - m) / s), within(1e-7f));
            assertThat(Float.isFinite(lp[i])).isTrue();
            assertThat(lp[i]).isCloseTo((float) (v[i] - m - Math.log(s)), within(2e-3f));
        }
        Tensor lse = x.logSumExp(1, false);
        assertThat(lse.item()).isCloseTo((float) (m + Math.log(s)), within(1e-3f));
        lse.sum().backward();
        float[] g = x.grad().toFloatArray();
        for (int i = 0; i < v.length; i++) {
            // d logsumexp / dx = softmax, finite even where e^x overflows
            assertThat(g[i]).isCloseTo((float) (Math.exp(v[i] - m) / s), within(1e-6f));
        }
        x.zeroGrad();
        Function<Tensor, Tensor> ce = t -> t.logSoftmax(1).select(1, 1).neg();
        ce.apply(x).backward();
        float[] gce = x.grad().toFloatArray();
        for (int i = 0; i < v.length; i++) {
            double expected = Math.exp(v[i] - m) / s - (i == 1 ? 1 : 0);
            assertThat(gce[i]).isCloseTo((float) expected, within(1e-6f));
        }
    }
}
