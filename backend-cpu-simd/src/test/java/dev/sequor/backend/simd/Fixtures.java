package dev.sequor.backend.simd;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;

import java.util.SplittableRandom;

/** Shared helpers: the backend under test, the reference backend, random data and buffers. */
final class Fixtures {

    static final Backend SIMD = Backends.get("cpu-simd");
    static final Backend REF = Backends.get("reference");

    private Fixtures() {
    }

    static float[] random(SplittableRandom r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return x;
    }

    static Buffer upload(Backend be, float[] x) {
        Buffer b = be.allocate(x.length);
        be.upload(x, 0, b, 0, x.length);
        return b;
    }

    static float[] download(Backend be, Buffer b) {
        float[] x = new float[(int) b.length()];
        be.download(b, 0, x, 0, x.length);
        return x;
    }

    /** Asserts |a - e| <= atol + rtol |e| elementwise, NaN matching NaN; names the first bad index. */
    static void close(float[] actual, float[] expected, double rtol, double atol, String what) {
        if (actual.length != expected.length) {
            throw new AssertionError(what + ": length " + actual.length + " != " + expected.length);
        }
        for (int i = 0; i < actual.length; i++) {
            float a = actual[i];
            float e = expected[i];
            if (Float.isNaN(e) || Float.isNaN(a)) {
                if (Float.isNaN(e) != Float.isNaN(a)) {
                    throw new AssertionError(what + ": at " + i + " got " + a + ", expected " + e);
                }
                continue;
            }
            if (Float.isInfinite(e) || Float.isInfinite(a)) {
                if (a != e) {
                    throw new AssertionError(what + ": at " + i + " got " + a + ", expected " + e);
                }
                continue;
            }
            if (Math.abs((double) a - e) > atol + rtol * Math.abs(e)) {
                throw new AssertionError(what + ": at " + i + " got " + a + ", expected " + e
                        + " (diff " + Math.abs((double) a - e) + ")");
            }
        }
    }
}
