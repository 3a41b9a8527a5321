package dev.sequor.backend.opencl;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.CounterRng;
import dev.sequor.spi.RandomKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.sequor.backend.opencl.OpenClTestSupport.download;
import static dev.sequor.backend.opencl.OpenClTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Index ops (with repeated indices) and the counter-based random fill. */
class IndexAndRandomTest {

    private static Backend be;

    @BeforeAll
    static void setUp() {
        be = OpenClTestSupport.backend();
    }

    @Test
    void indexSelectAndIndexAddWithRepeats() {
        // x: outer 2, n 3, inner 2; pick rows 2, 0, 2, 2.
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] idx = {2, 0, 2, 2};
        try (Buffer xb = upload(be, x); Buffer ib = upload(be, idx); Buffer out = be.allocate(16)) {
            be.indexSelect(xb, 2, 3, 2, ib, 4, out);
            assertThat(download(be, out)).containsExactly(5, 6, 1, 2, 5, 6, 5, 6, 11, 12, 7, 8, 11, 12, 11, 12);
            try (Buffer acc = upload(be, new float[]{100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})) {
                be.indexAdd(out, 2, 4, 2, ib, 3, acc);
                assertThat(download(be, acc)).containsExactly(101, 2, 0, 0, 15, 18, 7, 8, 0, 0, 33, 36);
            }
        }
    }

    @Test
    void gatherAndScatterAddWithRepeats() {
        // x: outer 1, n 3, inner 2 -> out m 4: per-element indices.
        float[] x = {1, 2, 3, 4, 5, 6};
        float[] idx = {0, 2, 1, 1, 2, 2, 2, 0};
        try (Buffer xb = upload(be, x); Buffer ib = upload(be, idx); Buffer out = be.allocate(8)) {
            be.gather(xb, 1, 3, 2, ib, 4, out);
            assertThat(download(be, out)).containsExactly(1, 6, 3, 4, 5, 6, 5, 2);
            try (Buffer acc = be.allocate(6)) {
                be.scatterAdd(out, 1, 4, 2, ib, 3, acc);
                // column 0: idx 0,1,2,2 gets 1,3,5,5; column 1: idx 2,1,2,0 gets 6,4,6,2.
                assertThat(download(be, acc)).containsExactly(1, 2, 3, 4, 10, 12);
            }
        }
    }

    @Test
    void manyRepeatsAccumulateExactly() {
        int m = 5000;
        float[] idx = new float[m];
        float[] g = new float[m];
        Arrays.fill(g, 1f);
        for (int j = 0; j < m; j++) {
            idx[j] = j % 3;
        }
        try (Buffer gb = upload(be, g); Buffer ib = upload(be, idx); Buffer acc = be.allocate(3)) {
            be.indexAdd(gb, 1, m, 1, ib, 3, acc);
            assertThat(download(be, acc)).containsExactly(1667, 1667, 1666);
        }
    }

    @Test
    void badIndexThrowsAndLeavesOutputUntouched() {
        try (Buffer xb = upload(be, new float[]{1, 2, 3}); Buffer ib = upload(be, new float[]{0, 3});
             Buffer frac = upload(be, new float[]{1.5f}); Buffer out = upload(be, new float[]{7, 7});
             Buffer acc = upload(be, new float[]{7, 7, 7})) {
            assertThatThrownBy(() -> be.indexSelect(xb, 1, 3, 1, ib, 2, out))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index 3")
                    .hasMessageContaining("[0, 3)");
            assertThatThrownBy(() -> be.indexAdd(xb, 1, 2, 1, ib, 3, acc))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> be.gather(xb, 1, 3, 1, frac, 1, out))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("1.5");
            assertThat(download(be, out)).containsExactly(7, 7);
            assertThat(download(be, acc)).containsExactly(7, 7, 7);
            // The error flag is cleared: a good call afterwards succeeds.
            be.indexSelect(xb, 1, 3, 1, frac, 0, out);
            be.gather(xb, 1, 3, 1, ib, 1, out);
            assertEquals(1f, download(be, out)[0]);
        }
    }

    @Test
    void crossEntropyRejectsAClassOutOfRangeButNotTheIgnoreIndex() {
        try (Buffer x = upload(be, new float[]{1, 2, 3, 4, 5, 6}); Buffer ok = upload(be, new float[]{-100, 2});
             Buffer bad = upload(be, new float[]{0, 3}); Buffer loss = be.allocate(2); Buffer lp = be.allocate(6)) {
            be.crossEntropyForward(x, ok, 2, 3, -100, 0f, loss, lp);
            float[] got = download(be, loss);
            assertEquals(0f, got[0]);
            assertEquals((float) (Math.log(Math.exp(-2) + Math.exp(-1) + 1)), got[1], 1e-6f);
            assertThatThrownBy(() -> be.crossEntropyForward(x, bad, 2, 3, -100, 0f, loss, lp))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index 3");
        }
    }

    @Test
    void randomFillMatchesCounterRng() {
        int n = 10_000;
        long seed = 0x1234_5678_9ABCL;
        try (Buffer b = be.allocate(n + 5)) {
            be.randomFill(b, 5, n, RandomKind.UNIFORM, -2f, 3f, seed);
            float[] got = download(be, b);
            for (int i = 0; i < n; i++) {
                assertEquals(-2f + (3f - -2f) * CounterRng.uniform(seed, i), got[5 + i], "uniform " + i);
            }
            be.randomFill(b, 5, n, RandomKind.BERNOULLI, 0.3f, 0f, seed);
            got = download(be, b);
            for (int i = 0; i < n; i++) {
                assertEquals(CounterRng.uniform(seed, i) < 0.3f ? 1f : 0f, got[5 + i], "bernoulli " + i);
            }
            be.randomFill(b, 5, n, RandomKind.NORMAL, 1f, 2f, seed);
            got = download(be, b);
            for (int i = 0; i < n; i++) {
                float want = 1f + 2f * CounterRng.normal(seed, i);
                assertThat((double) Math.abs(got[5 + i] - want)).as("normal " + i)
                        .isLessThanOrEqualTo(2e-6 * (1 + Math.abs(want)));
            }
            assertEquals(0f, got[0]);
        }
    }
}
