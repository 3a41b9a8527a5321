package dev.sequor.conformance;

import dev.sequor.spi.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.sequor.conformance.KitAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * indexSelect / indexAdd and gather / scatterAdd along the middle axis, against {@link IndexOracle}:
 * embedding-style lookups ({@code outer = 1}), middle-axis selection, repeated indices (which the
 * adds must accumulate), m = 0, and out-of-range indices, which must raise
 * {@link IndexOutOfBoundsException} naming the index and the bound. Selection is exact; the adds
 * are held to {@link OpFamily#INDEX_ADD}.
 */
public interface IndexConformance extends BackendUnderTest {

    /** (outer, n, inner, m) layouts: an embedding table, a middle axis, tails, m = 0. */
    int[][] INDEX_LAYOUTS = {{1, 10, 16, 7}, {3, 5, 2, 4}, {2, 4, 1, 9}, {1, 3, 33, 1}, {2, 6, 3, 0}, {1, 1, 5, 3}};

    @Test
    default void indexSelectAndIndexAddWithRepeatedIndices() {
        for (int[] l : INDEX_LAYOUTS) {
            int outer = l[0];
            int n = l[1];
            int inner = l[2];
            int m = l[3];
            String what = " over (" + outer + ", " + n + ", " + inner + ") with m = " + m;
            float[] x = Inputs.uniform(n * 7L + inner, outer * n * inner, -2, 2);
            float[] idx = Inputs.indices(m + 11L, m, n);
            if (m > 2) {
                idx[m - 1] = idx[0]; // repeats must accumulate in indexAdd
            }
            try (Buffer xb = device(x); Buffer ib = device(idx);
                 Buffer out = backend().allocate(Math.max(1, outer * m * inner))) {
                backend().indexSelect(xb, outer, n, inner, ib, m, out);
                assertClose(Arrays.copyOf(download(out), outer * m * inner),
                        IndexOracle.indexSelect(x, outer, n, inner, idx, m), Tolerance.EXACT, "indexSelect" + what);
            }
            float[] g = Inputs.uniform(m * 5L + 1, outer * m * inner, -1, 1);
            float[] acc = Inputs.uniform(m * 5L + 2, outer * n * inner, -1, 1);
            try (Buffer gb = device(g); Buffer ib = device(idx); Buffer out = device(acc)) {
                backend().indexAdd(gb, outer, m, inner, ib, n, out);
                assertClose(Arrays.copyOf(download(out), acc.length),
                        IndexOracle.indexAdd(g, outer, m, inner, idx, n, acc), tolerance(OpFamily.INDEX_ADD),
                        "indexAdd" + what);
            }
        }
    }

    @Test
    default void gatherAndScatterAddWithRepeatedIndices() {
        for (int[] l : INDEX_LAYOUTS) {
            int outer = l[0];
            int n = l[1];
            int inner = l[2];
            int m = l[3];
            String what = " over (" + outer + ", " + n + ", " + inner + ") with m = " + m;
            float[] x = Inputs.uniform(n * 3L + inner, outer * n * inner, -2, 2);
            // Few distinct indices, so scatterAdd meets repeats at the same (o, i).
            float[] idx = Inputs.indices(m + 21L, outer * m * inner, Math.min(n, 2));
            try (Buffer xb = device(x); Buffer ib = device(idx);
                 Buffer out = backend().allocate(Math.max(1, outer * m * inner))) {
                backend().gather(xb, outer, n, inner, ib, m, out);
                assertClose(Arrays.copyOf(download(out), outer * m * inner),
                        IndexOracle.gather(x, outer, n, inner, idx, m), Tolerance.EXACT, "gather" + what);
            }
            float[] g = Inputs.uniform(m * 9L + 1, outer * m * inner, -1, 1);
            float[] acc = Inputs.uniform(m * 9L + 2, outer * n * inner, -1, 1);
            try (Buffer gb = device(g); Buffer ib = device(idx); Buffer out = device(acc)) {
                backend().scatterAdd(gb, outer, m, inner, ib, n, out);
                assertClose(Arrays.copyOf(download(out), acc.length),
                        IndexOracle.scatterAdd(g, outer, m, inner, idx, n, acc), tolerance(OpFamily.INDEX_ADD),
                        "scatterAdd" + what);
            }
        }
    }

    @Test
    default void outOfRangeIndicesNameTheIndexAndTheBound() {
        try (Buffer x = backend().allocate(12); Buffer out = backend().allocate(12);
             Buffer tooBig = device(new float[] {0, 4, 1}); Buffer negative = device(new float[] {-1, 0, 0})) {
            // (outer 1, n 4, inner 3): valid indices are 0..3
            assertThatThrownBy(() -> { backend().indexSelect(x, 1, 4, 3, tooBig, 3, out); backend().synchronize(); })
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("4").hasMessageContaining("indexSelect");
            assertThatThrownBy(() -> { backend().indexSelect(x, 1, 4, 3, negative, 1, out); backend().synchronize(); })
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("-1").hasMessageContaining("4");
            assertThatThrownBy(() -> { backend().indexAdd(x, 1, 3, 3, tooBig, 4, out); backend().synchronize(); })
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("indexAdd");
            // gather over (1, 4, 1) with m = 3: per-element indices
            assertThatThrownBy(() -> { backend().gather(x, 1, 4, 1, tooBig, 3, out); backend().synchronize(); })
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("gather").hasMessageContaining("4");
            assertThatThrownBy(() -> { backend().scatterAdd(x, 1, 3, 1, negative, 4, out); backend().synchronize(); })
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("scatterAdd").hasMessageContaining("-1");
        }
    }

    private Buffer device(float[] x) {
        Buffer b = backend().allocate(Math.max(1, x.length));
        backend().upload(x, 0, b, 0, x.length);
        return b;
    }
}
