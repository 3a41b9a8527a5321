package dev.sequor.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Losses;
import dev.sequor.nn.attention.TransformerConfig;
import dev.sequor.nn.attention.TransformerEncoderLayer;
import dev.sequor.nn.recurrent.Lstm;
import dev.sequor.nn.recurrent.LstmConfig;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.spi.Backend;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a training step costs beyond its arithmetic: per-step wall time (median and mean, whose gap
 * is stalls), the longest garbage-collector pause during the timed steps, and the Java heap bytes a
 * step allocates (all threads, from {@code com.sun.management.ThreadMXBean}). Cases:
 * <ul>
 *   <li>{@code encoder forward | forwardBackward}: one {@link TransformerEncoderLayer}
 *       ({@code d_model 256}, 8 heads, feed-forward 1024, dropout 0.1, training mode), input
 *       {@code (32, 128, 256)}; the backward is of {@code sum(out)} into the parameters'
 *       gradients. {@code bench/pytorch/encoder.py} runs the same layer in PyTorch.</li>
 *   <li>{@code lstm train}: the README's LSTM example step (LSTM 1 -> 32, linear head, batch 64,
 *       T 20, cross-entropy, Adam), in a tensor scope.</li>
 * </ul>
 * Each step runs in a tensor scope, after at least 10 untimed steps and 20 s of them
 * ({@code -DwarmupSeconds}). Usage: {@code StepMemoryTiming case mode [backend] [steps]};
 * prints one JSON line. {@code bench/run-encoder.sh} alternates it with PyTorch.
 */
public final class StepMemoryTiming {

    private StepMemoryTiming() {
    }

    /** @param args case, mode, backend (default cpu-simd), timed steps (default 40) */
    public static void main(String[] args) {
        String kase = args[0];
        String mode = args[1];
        Backend be = Backends.get(args.length > 2 ? args[2] : "cpu-simd");
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        Runnable step = switch (kase) {
            case "encoder" -> encoder(be, mode);
            case "lstm" -> lstm(be);
            default -> throw new IllegalArgumentException("unknown case " + kase + " (encoder, lstm)");
        };
        // Warm up by count and by time: until C2 has compiled the Vector API kernels, they run their
        // Java fallback, which allocates a vector object per operation (gigabytes per step).
        long warmEnd = System.nanoTime() + Long.getLong("warmupSeconds", 20) * 1_000_000_000L;
        for (int i = 0; i < 10 || System.nanoTime() < warmEnd; i++) {
            step.run();
        }
        AtomicLong maxPauseMs = new AtomicLong();
        AtomicLong pauses = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    if (!info.getGcCause().equals("No GC") && !info.getGcAction().contains("concurrent")) {
                        pauses.incrementAndGet();
                        maxPauseMs.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
                    }
                }
            }, null, null);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[] ms = new double[steps];
        long[] bytes = new long[steps];
        for (int i = 0; i < steps; i++) {
            long a0 = threads.getTotalThreadAllocatedBytes();
            long t0 = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            bytes[i] = threads.getTotalThreadAllocatedBytes() - a0;
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        long[] sortedBytes = bytes.clone();
        Arrays.sort(sortedBytes);
        System.out.println(String.format(Locale.ROOT,
                "{\"case\": \"%s\", \"mode\": \"%s\", \"impl\": \"sequor %s\", \"median_ms\": %.2f, \"mean_ms\": %.2f,"
                        + " \"max_gc_pause_ms\": %d, \"gc_pauses\": %d, \"heap_bytes_per_step\": %d, \"steps\": %d}",
                kase, mode, be.name(), sorted[steps / 2], Arrays.stream(ms).average().orElse(0),
                maxPauseMs.get(), pauses.get(), sortedBytes[steps / 2], steps));
        System.exit(0);
    }

    private static Runnable encoder(Backend be, String mode) {
        var layer = Scope.unscoped(() -> new TransformerEncoderLayer(be,
                TransformerConfig.of(256, 8).withDimFeedforward(1024).withDropout(0.1f).withSeed(Seed.of(1))));
        Tensor x = Scope.unscoped(() -> Tensor.normal(be, 0f, 1f, Seed.of(42L), 32, 128, 256));   // (B, T, E)
        return switch (mode) {
            case "forward" -> () -> {
                try (Grad g = Grad.disabled(); Scope s = Tensor.scope()) {
                    layer.forward(x);
                    be.synchronize();
                }
            };
            case "forwardBackward" -> () -> {
                layer.zeroGrad();
                try (Scope s = Tensor.scope()) {
                    layer.forward(x).sum().backward();
                    be.synchronize();
                }
            };
            default -> throw new IllegalArgumentException("encoder modes: forward, forwardBackward");
        };
    }

    private static Runnable lstm(Backend be) {
        var lstm = Scope.unscoped(() -> new Lstm(be, LstmConfig.of(1, 32)));
        var head = Scope.unscoped(() -> new Linear(be, 32, 2, true, Seed.of(7)));
        List<Tensor> params = new ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        var opt = new Adam(params, AdamConfig.adam(1e-2));
        int[] step = {0};
        return () -> {
            try (Scope s = Tensor.scope()) {
                Tensor x = Tensor.normal(be, 0f, 1f, Seed.of(step[0]++), 64, 20, 1);          // (B, T, 1)
                Tensor y = x.sum(1, false).reshape(64).gt(Tensor.scalar(be, 0f));            // (B)
                Tensor logits = head.forward(lstm.forward(x).output().select(1, 19));        // (B, 2)
                Tensor loss = Losses.crossEntropy(logits, y);
                opt.zeroGrad();
                loss.backward();
                opt.step();
                loss.item();
            }
        };
    }
}
