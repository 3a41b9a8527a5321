package dev.sequor.spark;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Spark runs Sequor on the class path: the providers must be found there through META-INF/services. */
class ClassPathDiscoveryTest {

    @Test
    void backendsAreFoundWithoutAModulePath() {
        assertThat(Backends.class.getModule().isNamed()).as("core is on the class path in this test").isFalse();
        assertThat(Backends.available()).extracting(Backends.Info::name).contains("reference", "cpu-simd");
        Backend b = Backends.get("cpu-simd");
        assertThat(b.name()).isEqualTo("cpu-simd");
    }
}
