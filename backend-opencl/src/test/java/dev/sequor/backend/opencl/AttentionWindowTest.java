package dev.sequor.backend.opencl;

import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static dev.sequor.backend.opencl.OpenClTestSupport.download;
import static dev.sequor.backend.opencl.OpenClTestSupport.random;
import static dev.sequor.backend.opencl.OpenClTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Window sides near {@link AttentionSpec#UNBOUNDED}: {@code i + off + w} would overflow an int, so the
 * kernels must see them as the unbounded side they are equivalent to. The conformance kit covers the
 * window's meaning; this covers the arithmetic at the top of the int range, forward and backward.
 */
class AttentionWindowTest {

    private static final int HUGE = Integer.MAX_VALUE - 1;

    @Test
    void hugeSidesActAsUnbounded() {
        Backend be = OpenClTestSupport.backend();
        int u = AttentionSpec.UNBOUNDED;
        // L < S (cached keys) and L > S (queries before key 0), plain and causal
        AttentionSpec wide = new AttentionSpec(1, 2, 5, 7, 4, 3, 0.5f, false, 0.2f, 3L);
        AttentionSpec shortKeys = new AttentionSpec(1, 1, 6, 3, 4, 3, 0.5f, false, 0f, 0L);
        AttentionSpec causal = new AttentionSpec(2, 1, 3, 9, 4, 4, 0.5f, true, 0f, 0L);
        for (AttentionSpec sp : new AttentionSpec[] {wide, shortKeys, causal}) {
            assertSame(be, sp.withWindow(HUGE, HUGE), sp.withWindow(u, u));
            // windowed on the left only: the huge right side must still reach the last key
            assertSame(be, sp.withWindow(1, HUGE), sp.withWindow(1, u));
            assertSame(be, sp.withWindow(HUGE, 1), sp.withWindow(u, 1));
        }
    }

    /** Runs both specs on the same inputs and expects the same output, lse and gradients. */
    private static void assertSame(Backend be, AttentionSpec got, AttentionSpec want) {
        float[][] a = run(be, got);
        float[][] b = run(be, want);
        String[] names = {"out", "lse", "dq", "dk", "dv"};
        for (int t = 0; t < names.length; t++) {
            assertThat(a[t]).as("%s of %s vs %s", names[t], got, want).containsExactly(b[t]);
        }
    }

    private static float[][] run(Backend be, AttentionSpec sp) {
        Random r = new Random(17);
        int bh = sp.problems();
        int nq = bh * sp.queries() * sp.headDim();
        int nk = bh * sp.keys() * sp.headDim();
        int nv = bh * sp.keys() * sp.valueDim();
        int no = bh * sp.queries() * sp.valueDim();
        try (Buffer q = upload(be, random(r, nq)); Buffer k = upload(be, random(r, nk));
             Buffer v = upload(be, random(r, nv)); Buffer g = upload(be, random(r, no));
             Buffer out = be.allocate(no); Buffer lse = be.allocate((long) bh * sp.queries());
             Buffer gq = be.allocate(nq); Buffer gk = be.allocate(nk); Buffer gv = be.allocate(nv)) {
            be.attentionForward(sp, q, k, v, null, out, lse);
            be.attentionBackward(sp, q, k, v, null, out, lse, g, gq, gk, gv);
            return new float[][] {download(be, out), download(be, lse), download(be, gq), download(be, gk),
                    download(be, gv)};
        }
    }
}
