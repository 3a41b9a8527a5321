package dev.sequor.conformance;

/**
 * The whole backend conformance suite: every primitive of {@link dev.sequor.spi.Backend} against
 * the kit's own double-precision oracle. A backend adopts it with one test class in its
 * {@code src/test/java}:
 *
 * <pre>{@code
 * class CpuSimdConformanceTest implements BackendConformance {
 *     @Override
 *     public Backend backend() {
 *         return Backends.get("cpu-simd");
 *     }
 * }
 * }</pre>
 *
 * <p>That is all; JUnit runs the inherited {@code @Test} default methods. Obtain the backend by
 * name through {@code Backends}, never by importing its classes. To loosen a tolerance, override
 * {@link #tolerance(OpFamily)} for that family only, with a comment saying why. The parts
 * ({@link MemoryConformance}, {@link GemmConformance}, ...) can also be implemented one by one.
 * See the package documentation for the module-path set-up.
 */
public interface BackendConformance extends MemoryConformance, GemmConformance, UnaryConformance,
        BinaryConformance, ReductionConformance, SoftmaxConformance, IndexConformance, RandomConformance,
        ErrorConformance, FusedKernelConformance, AttentionConformance, RecurrentConformance,
        ConvConformance {
}
