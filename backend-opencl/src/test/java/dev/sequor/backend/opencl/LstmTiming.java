package dev.sequor.backend.opencl;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.RecurrentDims;

import java.util.Locale;

/**
 * A timing harness, not a test: one LSTM layer's recurrent forward (B 32, T 100, H 256; the input
 * projection excluded) through this backend's override and through the SPI default on the same
 * backend. Run by hand like {@link GemmTiming}.
 */
public final class LstmTiming {

    private LstmTiming() {
    }

    public static void main(String[] args) {
        int b = 32, t = 100, h = 256;
        try (Backend be = new OpenClBackend(ClRuntime.open(DeviceSelector.probe().chosen()))) {
            long bth = (long) b * t * h;
            Buffer x = be.allocate(4 * bth);
            Buffer w = be.allocate(4L * h * h);
            Buffer h0 = be.allocate((long) b * h);
            Buffer out = be.allocate(bth);
            Buffer hN = be.allocate((long) b * h);
            Buffer cN = be.allocate((long) b * h);
            Buffer gates = be.allocate(4 * bth);
            Buffer cells = be.allocate(bth);
            be.randomFill(x, 0, 4 * bth, RandomKind.UNIFORM, -1, 1, 1);
            be.randomFill(w, 0, 4L * h * h, RandomKind.UNIFORM, -0.06f, 0.06f, 2);
            RecurrentDims d = new RecurrentDims(b, t, h, null, false);
            String[] names = {"opencl override", "SPI default"};
            Runnable[] runs = {
                () -> be.lstmSequenceForward(d, x, w, h0, h0, out, hN, cN, gates, cells),
                () -> Backend.withDefaultKernels(be).lstmSequenceForward(d, x, w, h0, h0, out, hN, cN, gates, cells),
            };
            for (int i = 0; i < runs.length; i++) {
                runs[i].run();
                be.synchronize();
                double best = Double.MAX_VALUE;
                for (int r = 0; r < 5; r++) {
                    long t0 = System.nanoTime();
                    runs[i].run();
                    be.synchronize();
                    best = Math.min(best, (System.nanoTime() - t0) / 1e6);
                }
                System.out.printf(Locale.ROOT, "LSTM forward B%d T%d H%d, %-16s %8.2f ms%n", b, t, h, names[i], best);
            }
            for (Buffer buf : new Buffer[]{x, w, h0, out, hN, cN, gates, cells}) {
                buf.close();
            }
        }
    }
}
