package dev.sequor.bench;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.nn.recurrent.Gru;
import dev.sequor.nn.recurrent.GruConfig;
import dev.sequor.nn.recurrent.Lstm;
import dev.sequor.nn.recurrent.LstmConfig;
import dev.sequor.nn.recurrent.RecurrentLayer;
import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Single-layer LSTM and GRU, forward and forward+backward, timed in one JVM for Sequor and, when
 * {@code bench -Pdjl} put it on the class path, for libtorch through DJL ({@link RnnEngine} named
 * {@code dev.sequor.bench.DjlRnnEngine}). The engines alternate iteration by iteration, so load
 * from other processes falls on both alike. Prints one JSON line per engine and case with
 * every timed iteration in milliseconds; {@code bench/run-rnn.sh} turns them into medians and ratios.
 *
 * <p>Forward runs without gradient recording. Forward+backward is {@code out = layer(x)},
 * {@code out.sum().backward()} with gradients for the layer's parameters only (x needs none, as the
 * first layer of a model), parameter gradients cleared before each iteration.
 *
 * <p>Arguments: {@code rounds=3 reps=10 warmup=5 kinds=lstm,gru engines=sequor,libtorch threads=2 jit=10
 * backend=cpu-simd} ({@code jit}: untimed iterations of every case before the first round; {@code backend}:
 * the Sequor backend by name).
 */
public final class RnnBench {

    /** One benchmark case: cell kind, batch, steps, input width, hidden width, and whether backward runs. */
    public record Case(String kind, int batch, int steps, int input, int hidden, boolean backward) {

        /** @return the gate count G (4 for LSTM, 3 for GRU) */
        public int gates() {
            return kind.equals("lstm") ? 4 : 3;
        }

        /**
         * @return multiply-adds times two: forward {@code 2BT GH (in + H)}; the backward adds
         *         {@code dW_ih}, {@code dW_hh} and the per-step {@code dh}: {@code 2BT GH (in + 2H)}
         */
        public double flops() {
            double bt = (double) batch * steps;
            double gh = (double) gates() * hidden;
            double f = 2 * bt * gh * (input + hidden);
            return backward ? f + 2 * bt * gh * (input + 2.0 * hidden) : f;
        }

        /** @return e.g. {@code lstm B32 T100 256->256 fwd+bwd} */
        public String name() {
            return kind + " B" + batch + " T" + steps + " " + input + "->" + hidden + (backward ? " fwd+bwd" : " fwd");
        }
    }

    /** An implementation under test. */
    public interface RnnEngine extends AutoCloseable {

        /** @return a short name for the report */
        String name();

        /** @return one iteration of {@code c}, ready to run repeatedly (set-up is not timed) */
        Runnable prepare(Case c);

        @Override
        default void close() {
        }
    }

    private RnnBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("rounds", "3", "reps", "10", "warmup", "5",
                "kinds", "lstm,gru", "engines", "sequor,libtorch", "threads", "2", "jit", "10", "backend", "cpu-simd"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !opt.containsKey(kv[0])) {
                throw new IllegalArgumentException("RnnBench: unknown argument " + a + "; known: " + opt.keySet());
            }
            opt.put(kv[0], kv[1]);
        }
        int rounds = Integer.parseInt(opt.get("rounds"));
        int reps = Integer.parseInt(opt.get("reps"));
        int warmup = Integer.parseInt(opt.get("warmup"));
        int threads = Integer.parseInt(opt.get("threads"));
        List<Case> cases = new ArrayList<>();
        for (String kind : opt.get("kinds").split(",")) {
            for (int[] s : new int[][] {{32, 100, 256, 256}, {64, 50, 512, 512}}) {
                for (boolean backward : new boolean[] {false, true}) {
                    cases.add(new Case(kind, s[0], s[1], s[2], s[3], backward));
                }
            }
        }
        List<RnnEngine> engines = new ArrayList<>();
        for (String e : opt.get("engines").split(",")) {
            RnnEngine engine = engine(e, threads, opt.get("backend"));
            if (engine != null) {
                engines.add(engine);
            }
        }
        // A first untimed pass over every case: the JIT compiles the vector kernels in the
        // background, slowly when other processes load the machine; the first timed case must not pay it.
        for (Case c : cases) {
            time(engines, c, Integer.parseInt(opt.get("jit")), 0);
        }
        for (int round = 0; round < rounds; round++) {
            for (Case c : cases) {
                double[][] ms = time(engines, c, warmup, reps);
                for (int e = 0; e < engines.size(); e++) {
                    System.out.printf(Locale.ROOT, "{\"engine\": \"%s\", \"case\": \"%s\", \"gflop\": %.6f, \"ms\": %s}%n",
                            engines.get(e).name(), c.name(), c.flops() / 1e9, Arrays.toString(ms[e]));
                }
            }
        }
        for (RnnEngine e : engines) {
            e.close();
        }
    }

    private static RnnEngine engine(String name, int threads, String backend) throws ReflectiveOperationException {
        if (name.equals("sequor")) {
            return new SequorEngine(Backends.get(backend));
        }
        if (name.equals("libtorch")) {
            try {
                Class<?> k = Class.forName("dev.sequor.bench.DjlRnnEngine");
                return (RnnEngine) k.getConstructor(int.class).newInstance(threads);
            } catch (ClassNotFoundException e) {
                System.err.println("RnnBench: libtorch skipped: DJL is not on the class path (build bench with -Pdjl)");
                return null;
            }
        }
        throw new IllegalArgumentException("RnnBench: unknown engine " + name + " (sequor, libtorch)");
    }

    /** Times every engine on one case, alternating engines iteration by iteration. @return ms[engine][rep] */
    private static double[][] time(List<RnnEngine> engines, Case c, int warmup, int reps) {
        List<Runnable> runs = new ArrayList<>();
        for (RnnEngine e : engines) {
            runs.add(e.prepare(c));
        }
        for (int i = 0; i < warmup; i++) {
            runs.forEach(Runnable::run);
        }
        double[][] ms = new double[runs.size()][reps];
        for (int i = 0; i < reps; i++) {
            for (int e = 0; e < runs.size(); e++) {
                long t0 = System.nanoTime();
                runs.get(e).run();
                ms[e][i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return ms;
    }

    /** Sequor's nn-recurrent layers on a named backend. */
    static final class SequorEngine implements RnnEngine {

        private final Backend be;

        SequorEngine(Backend be) {
            this.be = be;
        }

        @Override
        public String name() {
            return "sequor";
        }

        @Override
        public Runnable prepare(Case c) {
            RecurrentLayer layer = Scope.unscoped(() -> c.kind().equals("lstm")
                    ? new Lstm(be, LstmConfig.of(c.input(), c.hidden()).withSeed(Seed.of(1)))
                    : new Gru(be, GruConfig.of(c.input(), c.hidden()).withSeed(Seed.of(1))));
            Tensor x = Scope.unscoped(() -> Tensor.uniform(be, -1f, 1f, Seed.of(7), c.batch(), c.steps(), c.input()));
            if (!c.backward()) {
                return () -> {
                    try (Grad g = Grad.disabled(); Scope s = Tensor.scope()) {
                        layer.forward(x).output();
                        be.synchronize();
                    }
                };
            }
            return () -> {
                try (Scope s = Tensor.scope()) {
                    layer.zeroGrad();
                    layer.forward(x).output().sum().backward();
                    // an asynchronous backend (opencl) must finish the queued work inside the timing
                    be.synchronize();
                }
            };
        }
    }
}
