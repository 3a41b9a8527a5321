package dev.sequor.bench;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.RecurrentDims;

import java.util.Arrays;
import java.util.Locale;

/**
 * Times the backend's fused LSTM/GRU sequence kernels alone (no input projection, no autograd),
 * to see where a layer's time goes. Arguments: {@code kind B T H reps [backend]}; prints the median
 * forward and backward milliseconds and the recurrent GFLOP/s ({@code 2 B T G H^2} per pass).
 */
public final class RnnKernelProbe {

    private RnnKernelProbe() {
    }

    public static void main(String[] args) {
        String kind = args[0];
        int b = Integer.parseInt(args[1]);
        int t = Integer.parseInt(args[2]);
        int h = Integer.parseInt(args[3]);
        int reps = Integer.parseInt(args[4]);
        Backend be = Backends.get(args.length > 5 ? args[5] : "cpu-simd");
        int g = kind.equals("lstm") ? 4 : 3;
        long bth = (long) b * t * h;
        Buffer x = rnd(be, g * bth, 1);
        Buffer w = rnd(be, (long) g * h * h, 2);
        Buffer bias = rnd(be, (long) g * h, 3);
        Buffer h0 = rnd(be, (long) b * h, 4);
        Buffer c0 = rnd(be, (long) b * h, 5);
        Buffer out = be.allocate(bth);
        Buffer hN = be.allocate((long) b * h);
        Buffer cN = be.allocate((long) b * h);
        Buffer gates = be.allocate(g * bth);
        Buffer cells = be.allocate(bth);
        Buffer gOut = rnd(be, bth, 6);
        Buffer gX = be.allocate(g * bth);
        Buffer gW = be.allocate((long) g * h * h);
        Buffer gB = be.allocate((long) g * h);
        Buffer gH0 = be.allocate((long) b * h);
        Buffer gC0 = be.allocate((long) b * h);
        RecurrentDims d = new RecurrentDims(b, t, h, null, false);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] cpu = new double[reps];
        double[] fw = new double[reps];
        double[] bw = new double[reps];
        for (int i = -reps; i < reps; i++) {
            long c0t = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            if (g == 4) {
                be.lstmSequenceForward(d, x, w, h0, c0, out, hN, cN, gates, cells);
            } else {
                be.gruSequenceForward(d, x, w, bias, h0, out, hN, gates, cells);
            }
            long t1 = System.nanoTime();
            long c1t = mx.getCurrentThreadCpuTime();
            if (g == 4) {
                be.lstmSequenceBackward(d, w, h0, c0, out, gates, cells, gOut, null, null, gX, gW, gH0, gC0);
            } else {
                be.gruSequenceBackward(d, w, h0, out, gates, cells, gOut, null, gX, gW, gB, gH0);
            }
            long t2 = System.nanoTime();
            if (i >= 0) {
                fw[i] = (t1 - t0) / 1e6;
                cpu[i] = (c1t - c0t) / 1e6;
                bw[i] = (t2 - t1) / 1e6;
            }
        }
        double f = median(fw);
        double bk = median(bw);
        double flop = 2.0 * b * t * g * h * (double) h;
        System.out.printf(Locale.ROOT, "%s B%d T%d H%d on %s: forward %.2f ms (%.0f GFLOP/s), backward %.2f ms"
                + " (%.0f GFLOP/s for dh + dW_hh)%n", kind, b, t, h, be.name(), f, flop / f / 1e6, bk,
                2 * flop / bk / 1e6);
        System.out.printf(Locale.ROOT, "  calling thread's CPU time in the forward: %.2f ms (%.0f GFLOP/s per busy ms)%n",
                median(cpu), flop / median(cpu) / 1e6);
    }

    private static Buffer rnd(Backend be, long n, long seed) {
        Buffer buf = be.allocate(n);
        be.randomFill(buf, 0, n, RandomKind.UNIFORM, -0.1f, 0.1f, seed);
        return buf;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
