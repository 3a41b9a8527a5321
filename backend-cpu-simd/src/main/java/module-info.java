/**
 * Sequor's CPU backend on the JDK Vector API: SIMD kernels on heap float arrays, all cores.
 * Reached only through {@link dev.sequor.spi.BackendProvider} under the name {@code "cpu-simd"}.
 */
module dev.sequor.backend.simd {
    requires dev.sequor.core;
    // Incubating in JDK 25; the root pom silences javac's [incubating] warning.
    requires jdk.incubator.vector;

    // Exports nothing: users reach the backend through Backends.get("cpu-simd").
    provides dev.sequor.spi.BackendProvider with dev.sequor.backend.simd.SimdProvider;
}
