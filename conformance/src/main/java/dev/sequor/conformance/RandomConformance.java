package dev.sequor.conformance;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.CounterRng;
import dev.sequor.spi.RandomKind;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.sequor.conformance.KitAssertions.assertBitwise;
import static dev.sequor.conformance.KitAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * randomFill against {@link RandomOracle} (the {@code CounterRng} spec re-derived): UNIFORM and
 * BERNOULLI bit for bit, NORMAL to {@link OpFamily#RANDOM_NORMAL}; element {@code offset + i} uses
 * counter {@code i}; the same seed gives the same numbers; nothing outside the range is written.
 */
public interface RandomConformance extends BackendUnderTest {

    @Test
    default void uniformIsBitExactFromTheOffsetAndRepeatable() {
        int total = 300;
        int offset = 7;
        int n = 257;
        float[] expected = new float[total];
        Arrays.fill(expected, 42f);
        for (int i = 0; i < n; i++) {
            expected[offset + i] = RandomOracle.uniform(1234L, i, -0.5f, 2f);
        }
        for (int round = 0; round < 2; round++) {
            float[] init = new float[total];
            Arrays.fill(init, 42f);
            try (Buffer b = upload(init)) {
                backend().randomFill(b, offset, n, RandomKind.UNIFORM, -0.5f, 2f, 1234L);
                assertBitwise(download(b), expected, "uniform [-0.5, 2) seed 1234 at offset 7, round " + round);
            }
        }
    }

    @Test
    default void bernoulliIsBitExactIncludingEdgeProbabilities() {
        for (float p : new float[] {0f, 0.1f, 0.5f, 1f}) {
            int n = 130;
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                expected[i] = RandomOracle.bernoulli(99L, i, p);
            }
            try (Buffer b = backend().allocate(n)) {
                backend().randomFill(b, 0, n, RandomKind.BERNOULLI, p, 123f, 99L);
                assertBitwise(download(b), expected, "bernoulli p=" + p);
            }
        }
    }

    @Test
    default void normalMatchesBoxMullerAndHasTheRightMoments() {
        int n = 4096;
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            expected[i] = 1.5 + 0.25 * RandomOracle.normal(7L, i);
        }
        try (Buffer b = backend().allocate(n + 3)) {
            backend().randomFill(b, 3, n, RandomKind.NORMAL, 1.5f, 0.25f, 7L);
            float[] all = download(b);
            assertBitwise(Arrays.copyOf(all, 3), new float[3], "normal leaves [0, 3) alone");
            float[] actual = Arrays.copyOfRange(all, 3, n + 3);
            assertClose(actual, expected, tolerance(OpFamily.RANDOM_NORMAL), "normal(1.5, 0.25) seed 7");
            double mean = 0;
            for (float v : actual) {
                mean += v;
            }
            mean /= n;
            double var = 0;
            for (float v : actual) {
                var += (v - mean) * (v - mean);
            }
            // 4096 draws: the mean is within 4 standard errors (0.25 / 64 * 4) of 1.5
            assertThat(mean).as("sample mean").isBetween(1.5 - 0.016, 1.5 + 0.016);
            assertThat(Math.sqrt(var / (n - 1))).as("sample std").isBetween(0.23, 0.27);
        }
    }

    @Test
    default void seedsAreIndependentAndTheSpecHelperMatchesItsJavadoc() {
        try (Buffer a = backend().allocate(64); Buffer b = backend().allocate(64)) {
            backend().randomFill(a, 0, 64, RandomKind.UNIFORM, 0f, 1f, 1L);
            backend().randomFill(b, 0, 64, RandomKind.UNIFORM, 0f, 1f, 2L);
            assertThat(download(a)).as("seeds 1 and 2 give different numbers").isNotEqualTo(download(b));
        }
        for (long i = 0; i < 1000; i++) {
            assertThat(CounterRng.bits(5L, i)).as("CounterRng.bits(5, %d)", i).isEqualTo(RandomOracle.bits(5L, i));
            assertThat(CounterRng.uniform(5L, i)).isEqualTo(RandomOracle.uniform(5L, i));
        }
    }
}
