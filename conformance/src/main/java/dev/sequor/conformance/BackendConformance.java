package dev.sequor.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

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
        ErrorConformance, FusedKernelConformance, AttentionConformance {

    /**
     * An adapter may skip a kit test only by overriding it with {@code @Test @Disabled("reason")};
     * an override without a test annotation would make JUnit drop the test without a word.
     */
    @Test
    default void noKitTestIsHiddenByAnUnannotatedOverride() {
        List<String> hidden = new ArrayList<>();
        for (Method m : getClass().getMethods()) {
            if (m.getDeclaringClass().isInterface() || m.isBridge()) {
                continue;
            }
            boolean isTest = m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class);
            for (Class<?> kit : BackendConformance.class.getInterfaces()) {
                try {
                    Method declared = kit.getMethod(m.getName(), m.getParameterTypes());
                    boolean kitTest = declared.isAnnotationPresent(Test.class)
                            || declared.isAnnotationPresent(ParameterizedTest.class);
                    if (kitTest && !isTest) {
                        hidden.add(kit.getSimpleName() + "." + m.getName());
                    }
                } catch (NoSuchMethodException notInThisPart) {
                    // the method belongs to another part of the kit, or to the adapter alone
                }
            }
        }
        assertThat(hidden).as("kit tests overridden without @Test (use @Test @Disabled(\"reason\") to skip)").isEmpty();
    }
}
