package dev.sequor.spi;

import dev.sequor.core.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Backend#withDefaultKernels}: primitives forward to the backend behind it (same buffers,
 * same errors), fused kernels run the defaults. The reference backend overrides no fused kernel, so
 * over it the wrapper must give bit-for-bit the reference's results.
 */
class DefaultKernelsTest {

    private final Backend ref = Backends.get("reference");
    private final Backend defaults = Backend.withDefaultKernels(ref);

    @Test
    void primitivesForwardToTheBackendBehind() {
        assertEquals(ref.name(), defaults.name());
        try (Buffer b = defaults.allocate(3)) {
            assertEquals(ref, b.backend(), "buffers belong to the backend behind the wrapper");
            ref.fill(b, 0, 3, 2f);
            defaults.scalar(BinaryOp.MUL, b, 1.5f, b, 3);
            float[] host = new float[3];
            ref.download(b, 0, host, 0, 3);
            assertArrayEquals(new float[] {3f, 3f, 3f}, host);
        }
        assertEquals(defaults, defaults);
        assertNotEquals(defaults, ref);
    }

    @Test
    void errorsArriveUnwrapped() {
        // the reflective call's InvocationTargetException must not reach the caller
        assertThrows(IllegalArgumentException.class, () -> defaults.allocate(-1));
    }

    @Test
    void fusedKernelsRunTheDefaultsOverThosePrimitives() {
        int b = 2;
        int t = 3;
        int h = 4;
        RecurrentDims d = new RecurrentDims(b, t, h, null, false);
        float[][] viaRef = lstm(ref, d);
        float[][] viaDefaults = lstm(defaults, d);
        for (int i = 0; i < viaRef.length; i++) {
            assertArrayEquals(viaRef[i], viaDefaults[i], "output " + i);
        }
    }

    private float[][] lstm(Backend be, RecurrentDims d) {
        long bh = (long) d.batch() * d.hidden();
        long bth = bh * d.steps();
        Buffer x = be.allocate(4 * bth);
        Buffer w = be.allocate(4L * d.hidden() * d.hidden());
        Buffer h0 = be.allocate(bh);
        Buffer c0 = be.allocate(bh);
        be.randomFill(x, 0, 4 * bth, RandomKind.NORMAL, 0f, 1f, 1);
        be.randomFill(w, 0, 4L * d.hidden() * d.hidden(), RandomKind.NORMAL, 0f, 0.5f, 2);
        be.randomFill(h0, 0, bh, RandomKind.NORMAL, 0f, 1f, 3);
        be.randomFill(c0, 0, bh, RandomKind.NORMAL, 0f, 1f, 4);
        Buffer out = be.allocate(bth);
        Buffer hN = be.allocate(bh);
        Buffer cN = be.allocate(bh);
        Buffer gates = be.allocate(4 * bth);
        Buffer cells = be.allocate(bth);
        be.lstmSequenceForward(d, x, w, h0, c0, out, hN, cN, gates, cells);
        float[][] result = {host(be, out), host(be, hN), host(be, cN), host(be, gates), host(be, cells)};
        for (Buffer buf : new Buffer[] {x, w, h0, c0, out, hN, cN, gates, cells}) {
            buf.close();
        }
        return result;
    }

    private static float[] host(Backend be, Buffer b) {
        float[] a = new float[(int) b.length()];
        be.download(b, 0, a, 0, a.length);
        return a;
    }
}
