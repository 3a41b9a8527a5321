package dev.sequor.conformance;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.ReduceOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static dev.sequor.conformance.KitAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every {@link ReduceOp} over {@code (outer, n, inner)} layouts that reduce the last, first and a
 * middle axis, with n = 0 and n = 1, ties, NaN and infinities, against {@link ReductionOracle}.
 * MAX, MIN, ARGMAX and ARGMIN must be exact; the others are held to {@link OpFamily#REDUCE}.
 */
public interface ReductionConformance extends BackendUnderTest {

    /** (outer, n, inner) layouts: last axis, first axis, middle axis, tails, degenerate sizes. */
    int[][] REDUCE_LAYOUTS = {{1, 1, 1}, {1, 17, 1}, {6, 33, 1}, {1, 5, 3}, {4, 7, 5}, {2, 130, 3}, {3, 1, 4},
        {0, 5, 2}, {2, 5, 0}, {1, 257, 1}};

    @ParameterizedTest(name = "{0}")
    @EnumSource(ReduceOp.class)
    default void reduceMatchesOracleOverLayouts(ReduceOp op) {
        for (int[] l : REDUCE_LAYOUTS) {
            float[] x = Inputs.uniform(op.ordinal() * 101L + l[1], l[0] * l[1] * l[2], -3, 3);
            check(op, x, l[0], l[1], l[2], "reduce " + op + " over (" + l[0] + ", " + l[1] + ", " + l[2] + ")");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ReduceOp.class, names = {"SUM", "MEAN", "MAX", "MIN", "LOGSUMEXP"})
    default void reduceOverAnEmptyAxisGivesTheIdentity(ReduceOp op) {
        // SUM 0, MEAN NaN, MAX -Inf, MIN +Inf, LOGSUMEXP -Inf, for every (outer, inner) position
        check(op, new float[0], 2, 0, 3, "reduce " + op + " over n = 0");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ReduceOp.class, names = {"ARGMAX", "ARGMIN"})
    default void argReductionOverAnEmptyAxisIsAnError(ReduceOp op) {
        try (Buffer x = backend().allocate(1); Buffer out = backend().allocate(4)) {
            assertThatThrownBy(() -> backend().reduce(op, x, 2, 0, 2, out))
                    .as("%s over n = 0 has no index to return", op)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ReduceOp.class)
    default void reduceWithTiesNaNAndInfinities(ReduceOp op) {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        // rows of n = 5: ties at the max and min; a NaN; +Inf; all -Inf; a -Inf among numbers
        float[] x = {
            2, -1, 2, -1, 0,
            1, nan, 3, nan, -5,
            1, inf, 3, -2, 0,
            -inf, -inf, -inf, -inf, -inf,
            -inf, 0.5f, -3, 0.5f, -inf,
        };
        check(op, x, 5, 5, 1, "reduce " + op + " with ties, NaN and infinities");
    }

    @Test
    default void sumAndMeanOfLargeMagnitudesKeepPrecision() {
        // 1e4 offsets with small differences: float32 sequential sums would drift visibly.
        float[] x = Inputs.uniform(91, 3 * 257, 1e4f, 1e4f + 1f);
        check(ReduceOp.SUM, x, 3, 257, 1, "sum of 257 values near 1e4");
        check(ReduceOp.MEAN, x, 1, 3, 257, "mean over the first axis");
        check(ReduceOp.LOGSUMEXP, Inputs.uniform(92, 2 * 65, -1e4f, 1e4f), 2, 65, 1, "logsumexp of +-1e4");
    }

    private void check(ReduceOp op, float[] x, int outer, int n, int inner, String what) {
        double[] expected = ReductionOracle.reduce(op, x, outer, n, inner);
        try (Buffer xb = backend().allocate(Math.max(1, x.length));
             Buffer out = backend().allocate(Math.max(1, outer * inner))) {
            backend().upload(x, 0, xb, 0, x.length);
            backend().reduce(op, xb, outer, n, inner, out);
            float[] actual = Arrays.copyOf(download(out), outer * inner);
            boolean exact = op == ReduceOp.MAX || op == ReduceOp.MIN || op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
            assertClose(actual, expected, exact ? Tolerance.EXACT : tolerance(OpFamily.REDUCE), what);
        }
    }
}
