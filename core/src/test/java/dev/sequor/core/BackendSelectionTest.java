package dev.sequor.core;

import dev.sequor.nn.Linear;
import dev.sequor.reference.ReferenceProvider;
import dev.sequor.spi.Availability;
import dev.sequor.spi.Backend;
import dev.sequor.spi.BackendProvider;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One shared instance per provider, case-insensitive names, and loud automatic selection. */
class BackendSelectionTest {

    @Test
    void everyRouteToAProviderGivesTheSameInstance() {
        Backend session = Backends.get();
        assertThat(Backends.get(session.name())).isSameAs(session);
        assertThat(Backends.get(session.name().toUpperCase(Locale.ROOT))).isSameAs(session);
        assertThat(Backends.get("Reference")).isSameAs(Backends.get("reference"));
        // The case: a tensor made on the named backend feeds a layer made on the default one.
        Tensor x = Tensor.ones(Backends.get(session.name().toUpperCase(Locale.ROOT)), 2, 4);
        assertThat(new Linear(4, 3, Seed.of(1)).forward(x).shape()).containsExactly(2, 3);
    }

    @Test
    void concurrentFirstCallsShareOneInstance() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Backend>> got = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String name = i % 2 == 0 ? "REFERENCE" : "reference";
                got.add(pool.submit(() -> {
                    start.await();
                    return Backends.get(name);
                }));
            }
            start.countDown();
            Set<Backend> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Future<Backend> f : got) {
                distinct.add(f.get());
            }
            assertThat(distinct).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRealMismatchSaysHowToMoveAndToMovesWithGradient() {
        Backend home = Backends.get("reference");
        Backend other = new ReferenceProvider().create();
        Tensor a = Tensor.of(home, new float[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor b = Tensor.of(other, new float[] {4, 5, 6}, 3);
        assertThatThrownBy(() -> a.mul(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different backends").hasMessageContaining(".to(");
        assertThat(a.to(home)).isSameAs(a);
        Tensor moved = a.to(other);
        assertThat(moved.backend()).isSameAs(other);
        assertThat(moved.shape()).containsExactly(3);
        moved.mul(b).sum().backward();
        assertThat(a.grad().backend()).isSameAs(home);
        assertThat(a.grad().toFloatArray()).containsExactly(4, 5, 6);
    }

    @Test
    void selectionNamesTheChoiceAndEverySkippedBetterProvider() {
        Backends.Choice c = Backends.choose(List.of(
                fake("slow", 1, Availability.yes("always")),
                fake("gpu", 200, Availability.no("no OpenCL platform found")),
                fake("broken", 150, null)), BackendProvider::create);
        assertThat(c.backend().name()).isEqualTo("reference");
        assertThat(c.loud()).isTrue();
        assertThat(c.message()).contains("slow").contains("gpu").contains("no OpenCL platform found")
                .contains("broken").contains("failed to start").contains(Backends.PROPERTY);
        assertThat(c.message().indexOf("gpu")).isLessThan(c.message().indexOf("broken"));

        Backends.Choice quiet = Backends.choose(List.of(fake("best", 9, Availability.yes("fine")),
                fake("worse", 1, Availability.no("absent"))), BackendProvider::create);
        assertThat(quiet.loud()).isFalse();
        assertThat(quiet.message()).contains("best").doesNotContain("worse");

        assertThatThrownBy(() -> Backends.choose(List.of(fake("gpu", 200, Availability.no("no driver"))),
                BackendProvider::create)).isInstanceOf(IllegalStateException.class).hasMessageContaining("no driver");
    }

    /** A provider named {@code name}; a null availability means "available, but create() fails". */
    private static BackendProvider fake(String name, int priority, Availability availability) {
        return new BackendProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public Availability availability() {
                return availability == null ? Availability.yes("looks fine") : availability;
            }

            @Override
            public Backend create() {
                if (availability == null) {
                    throw new IllegalStateException("device lost");
                }
                return new ReferenceProvider().create();
            }
        };
    }
}
