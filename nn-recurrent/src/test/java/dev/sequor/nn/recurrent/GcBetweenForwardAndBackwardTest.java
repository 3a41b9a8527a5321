package dev.sequor.nn.recurrent;

import dev.sequor.core.Backends;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Embedding;
import dev.sequor.nn.LayerNorm;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Losses;
import dev.sequor.nn.Module;
import dev.sequor.spi.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every fused op that layers record as one autograd node (the whole-sequence LSTM, GRU and RNN
 * kernels, with lengths and both directions, conv2d, layer norm, cross-entropy and the embedding
 * gather) is run forward, then every reference except the loss and the leaves is dropped and the
 * collector is forced to run (and the Cleaner with it) before backward. The gradients must equal,
 * bit for bit, those of the same forward and backward without the collection in between: anything
 * a backward reads must be kept alive by the graph, not by luck of timing.
 */
class GcBetweenForwardAndBackwardTest {

    /** One case: builds its module on a backend, and maps (module, input seed) to a scalar loss. */
    private record Case(String name, Function<Backend, Module> build,
                        BiFunction<Module, Backend, Tensor> loss) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final int[] LENGTHS = {7, 3, 5};

    private static Tensor x(Backend be, int... shape) {
        return Tensor.normal(be, 0f, 1f, Seed.of(11), shape).requiresGrad(true);
    }

    /** A fixed random projection so every output element gets its own gradient. */
    private static Tensor weighted(Tensor out) {
        Tensor w = Tensor.normal(out.backend(), 0f, 1f, Seed.of(5), out.shape());
        return out.mul(w).sum();
    }

    private static List<Case> cases() {
        return List.of(
                new Case("lstm bidirectional 2 layers with lengths",
                        be -> new Lstm(be, LstmConfig.of(4, 6).withLayers(2).withBidirectional(true)),
                        (m, be) -> weighted(((Lstm) m).forward(x(be, 3, 7, 4), null, LENGTHS).output())),
                new Case("gru with lengths",
                        be -> new Gru(be, GruConfig.of(4, 6)),
                        (m, be) -> weighted(((Gru) m).forward(x(be, 3, 7, 4), null, LENGTHS).output())),
                new Case("rnn reversed",
                        be -> new Rnn(be, RnnConfig.of(4, 6).withBidirectional(true)),
                        (m, be) -> weighted(((Rnn) m).forward(x(be, 3, 7, 4)).output())),
                new Case("conv2d",
                        be -> new Conv2d(be, 2, 3, 3, 1, true, Seed.of(3)),
                        (m, be) -> weighted(((Conv2d) m).forward(x(be, 2, 2, 5, 6)))),
                new Case("layer norm",
                        be -> new LayerNorm(be, new int[] {8}, 1e-5f, true),
                        (m, be) -> weighted(((LayerNorm) m).forward(x(be, 3, 5, 8)))),
                new Case("cross-entropy over a linear head",
                        be -> new Linear(be, 8, 5, true, Seed.of(2)),
                        (m, be) -> Losses.crossEntropy(((Linear) m).forward(x(be, 6, 8)),
                                Tensor.of(be, new float[] {0, 4, 2, 2, 1, 3}, 6))),
                new Case("embedding gather",
                        be -> new Embedding(be, 10, 4, null, Seed.of(9)),
                        (m, be) -> weighted(((Embedding) m).forward(
                                Tensor.of(be, new float[] {1, 3, 3, 9, 0, 1}, 2, 3)))));
    }

    static Stream<Arguments> backendsAndCases() {
        List<Arguments> all = new ArrayList<>();
        for (String be : new String[] {"reference", "cpu-simd", "opencl"}) {
            for (Case c : cases()) {
                all.add(Arguments.of(be, c));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("backendsAndCases")
    void gradientsSurviveACollectionBetweenForwardAndBackward(String name, Case c) throws InterruptedException {
        boolean found = Backends.available().stream().anyMatch(i -> i.name().equals(name) && i.status().available());
        if (!"1".equals(System.getenv("SEQUOR_REQUIRE_OPENCL"))) {
            assumeTrue(found, name + " is not available here: " + Backends.available());
        }
        Backend be = Backends.get(name);
        Module m = c.build().apply(be);
        List<float[]> quiet = gradients(m, be, c, false);
        List<float[]> collected = gradients(m, be, c, true);
        for (int i = 0; i < quiet.size(); i++) {
            assertThat(collected.get(i)).as("%s on %s: gradient %d after a collection", c.name(), name, i)
                    .containsExactly(quiet.get(i));
        }
    }

    /** Gradients of every parameter, after one forward and backward, optionally collecting between. */
    private static List<float[]> gradients(Module m, Backend be, Case c, boolean collect) throws InterruptedException {
        for (Tensor p : m.parameters()) {
            p.zeroGrad();
        }
        Tensor loss = c.loss().apply(m, be);   // every intermediate is unreachable from here on
        if (collect) {
            forceCollection();
        }
        loss.backward();
        List<float[]> grads = new ArrayList<>();
        for (Tensor p : m.parameters()) {
            assertThat(p.grad()).as("%s: a parameter got no gradient", c.name()).isNotNull();
            grads.add(p.grad().toFloatArray());
        }
        return grads;
    }

    /** Runs the collector until an object made now is gone, then gives the Cleaner thread time. */
    private static void forceCollection() throws InterruptedException {
        WeakReference<Object> probe = new WeakReference<>(new Object());
        for (int i = 0; i < 50 && probe.get() != null; i++) {
            System.gc();
            Thread.sleep(5);
        }
        assertThat(probe.get()).as("the collector ran").isNull();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
    }
}
