package dev.sequor.bench;

import dev.sequor.core.Backends;

import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.UnaryOp;

import java.util.Locale;

/**
 * A timing harness: milliseconds of a backend's elementwise, reduction and movement primitives on
 * 4M floats after warm-up, best of 5. Run by hand like {@link ClGemmTiming}:
 * {@code java -cp ... dev.sequor.bench.ClElementwiseTiming [backend]} (default {@code opencl}).
 */
public final class ClElementwiseTiming {

    private ClElementwiseTiming() {
    }

    public static void main(String[] args) {
        Backend be = Backends.get(args.length > 0 ? args[0] : "opencl");
        int n = 1 << 22;
        Buffer a = be.allocate(n);
        Buffer b = be.allocate(1024);
        Buffer o = be.allocate(n);
        Buffer s = be.allocate(n / 1024);
        be.randomFill(a, 0, n, RandomKind.UNIFORM, -1, 1, 1);
        String[] names = {"tanh", "exp", "add dense", "add bias", "sum rows", "softmax rows", "transpose"};
        Runnable[] ops = {
            () -> be.unary(UnaryOp.TANH, a, 0, o, 0, n),
            () -> be.unary(UnaryOp.EXP, a, 0, o, 0, n),
            () -> be.binary(BinaryOp.ADD, a, new long[]{1}, o, new long[]{1}, o, new int[]{n}),
            () -> be.binary(BinaryOp.ADD, a, new long[]{1024, 1}, b, new long[]{0, 1}, o, new int[]{n / 1024, 1024}),
            () -> be.reduce(ReduceOp.SUM, a, n / 1024, 1024, 1, s),
            () -> be.softmax(a, n / 1024, 1024, 1, false, o),
            () -> be.copyStrided(a, 0, new long[]{1, 1024}, o, 0, new long[]{4096, 1}, new int[]{1024, 4096}),
        };
        for (int t = 0; t < ops.length; t++) {
            for (int w = 0; w < 3; w++) {
                ops[t].run();
            }
            be.synchronize();
            double best = Double.MAX_VALUE;
            for (int r = 0; r < 5; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    ops[t].run();
                }
                be.synchronize();
                best = Math.min(best, (System.nanoTime() - t0) / 1e6 / 10);
            }
            System.out.printf(Locale.ROOT, "%-14s %8.3f ms  (%.2f Gelem/s)%n", names[t], best, n / best / 1e6);
        }
        for (Buffer x : new Buffer[]{a, b, o, s}) {
            x.close();
        }
    }
}
