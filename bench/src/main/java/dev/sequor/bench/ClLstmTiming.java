package dev.sequor.bench;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.RecurrentDims;

import java.util.Locale;

/**
 * A timing harness: one LSTM layer's recurrent sequence kernels (B 32, T 100, H 256; the input
 * projection excluded), forward and backward, on a backend chosen by name, best of 5 after warm-up.
 * Run by hand like {@link ClGemmTiming}:
 * {@code java -cp ... dev.sequor.bench.ClLstmTiming [backend]} (default {@code opencl}).
 */
public final class ClLstmTiming {

    private ClLstmTiming() {
    }

    public static void main(String[] args) {
        int b = 32, t = 100, h = 256;
        Backend be = Backends.get(args.length > 0 ? args[0] : "opencl");
        long bth = (long) b * t * h;
        long bh = (long) b * h;
        Buffer x = be.allocate(4 * bth);
        Buffer w = be.allocate(4L * h * h);
        Buffer h0 = be.allocate(bh);
        Buffer out = be.allocate(bth);
        Buffer hN = be.allocate(bh);
        Buffer cN = be.allocate(bh);
        Buffer gates = be.allocate(4 * bth);
        Buffer cells = be.allocate(bth);
        Buffer gOut = be.allocate(bth);
        Buffer gX = be.allocate(4 * bth);
        Buffer gW = be.allocate(4L * h * h);
        Buffer gH0 = be.allocate(bh);
        Buffer gC0 = be.allocate(bh);
        be.randomFill(x, 0, 4 * bth, RandomKind.UNIFORM, -1, 1, 1);
        be.randomFill(w, 0, 4L * h * h, RandomKind.UNIFORM, -0.06f, 0.06f, 2);
        be.randomFill(gOut, 0, bth, RandomKind.UNIFORM, -1, 1, 3);
        RecurrentDims d = new RecurrentDims(b, t, h, null, false);
        String[] names = {"forward", "backward"};
        Runnable[] runs = {
            () -> be.lstmSequenceForward(d, x, w, h0, h0, out, hN, cN, gates, cells),
            () -> be.lstmSequenceBackward(d, w, h0, h0, out, gates, cells, gOut, null, null, gX, gW, gH0, gC0),
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
            System.out.printf(Locale.ROOT, "%s: LSTM sequence %-8s B%d T%d H%d %8.2f ms%n", be.name(), names[i],
                    b, t, h, best);
        }
        for (Buffer buf : new Buffer[]{x, w, h0, out, hN, cN, gates, cells, gOut, gX, gW, gH0, gC0}) {
            buf.close();
        }
    }
}
