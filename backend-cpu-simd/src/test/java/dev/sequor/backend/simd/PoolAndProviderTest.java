package dev.sequor.backend.simd;

import dev.sequor.core.Backends;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker pool's hand-off and failure path, and discovery through ServiceLoader. */
class PoolAndProviderTest {

    @Test
    void everyPartRunsExactlyOnceAcrossManyJobs() throws Exception {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int job = 0; job < 2000; job++) {
                int parts = 1 + job % 9;
                AtomicIntegerArray hits = new AtomicIntegerArray(parts);
                pool.run(parts, hits::incrementAndGet);
                for (int p = 0; p < parts; p++) {
                    assertThat(hits.get(p)).as("job %d part %d", job, p).isEqualTo(1);
                }
                if (job % 500 == 0) {
                    // Let the workers reach the parked state, so the unpark path runs too.
                    Thread.sleep(5);
                }
            }
        }
    }

    @Test
    void aFailingPartIsRethrownToTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThatThrownBy(() -> pool.run(8, p -> {
                if (p == 5) {
                    throw new IllegalStateException("part five");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("part five");
            AtomicIntegerArray hits = new AtomicIntegerArray(4);
            pool.run(4, hits::incrementAndGet);
            assertThat(hits.get(3)).isEqualTo(1);
        }
    }

    @Test
    void theProviderIsFoundAndDescribesItself() {
        assertThat(Backends.available()).anySatisfy(i -> {
            assertThat(i.name()).isEqualTo("cpu-simd");
            assertThat(i.priority()).isEqualTo(100);
            assertThat(i.status().available()).isTrue();
            assertThat(i.status().reason()).contains("lanes").contains("threads");
        });
        assertThat(Backends.get("cpu-simd").name()).isEqualTo("cpu-simd");
        assertThat(Backends.get("cpu-simd").description()).contains("lanes");
        // One instance per provider and JVM, whatever the spelling or route (issue 13, item 1).
        assertThat(Backends.get("CPU-SIMD")).isSameAs(Backends.get("cpu-simd"));
        assertThat(Backends.get("cpu-simd").maxBufferLength()).isLessThan(1L << 31);
    }
}
