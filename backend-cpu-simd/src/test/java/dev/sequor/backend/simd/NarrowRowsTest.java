package dev.sequor.backend.simd;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.sequor.backend.simd.GemmKernel.KC;
import static dev.sequor.backend.simd.GemmKernel.NR;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RecurrentGemm#multiply} for every row count 1-9 (whole tiles plus the 1-3 rows
 * {@link Narrow} takes) and panel counts that leave groups incomplete, over a depth that crosses a
 * k block: bitwise equal to a scalar chain of {@code Math.fma} over p from zero per k block, added
 * to C after each block, which is what the 4-row tile computes for every element.
 */
class NarrowRowsTest {

    @Test
    void everyRowCountGivesTheTilesBits() {
        SplittableRandom r = new SplittableRandom(3);
        int k = KC + 44;
        for (int panels = 1; panels <= 9; panels++) {
            int n = panels * NR;
            float[] b = Fixtures.random(r, k * n, 1);   // (k, n) row-major
            float[] packed = new float[(int) PackedB.size(k, n)];
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kcb = Math.min(KC, k - p0);
                for (int j = 0; j < panels; j++) {
                    PackedB.packPanel(b, 0, n, false, n, p0, kcb, j, packed, p0 * panels * NR + j * kcb * NR);
                }
            }
            for (int rows = 1; rows <= 9; rows++) {
                int lda = k + 16;
                float[] a = Fixtures.random(r, rows * lda, 1);
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] c = Fixtures.random(r, rows * n, 1);
                    float[] want = c.clone();
                    for (int i = 0; i < rows; i++) {
                        for (int col = 0; col < n; col++) {
                            float acc = accumulate ? want[i * n + col] : 0f;
                            for (int p0 = 0; p0 < k; p0 += KC) {
                                float s = 0f;
                                for (int p = p0; p < Math.min(k, p0 + KC); p++) {
                                    s = Math.fma(a[i * lda + p], b[p * n + col], s);
                                }
                                acc = accumulate || p0 > 0 ? s + acc : s;
                            }
                            want[i * n + col] = acc;
                        }
                    }
                    RecurrentGemm.multiply(rows, a, 0, lda, packed, k, panels, 0, panels, c, 0, n, accumulate);
                    for (int i = 0; i < rows * n; i++) {
                        assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(c[i]),
                                "rows " + rows + ", panels " + panels + ", accumulate " + accumulate + ", at " + i);
                    }
                }
            }
        }
    }
}
