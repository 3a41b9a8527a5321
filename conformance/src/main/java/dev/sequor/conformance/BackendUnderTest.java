package dev.sequor.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The adapter's side of the kit: which backend to test and how loosely. Every kit interface extends
 * this, so an adapter implements {@link #backend()} once (and, only with a reason,
 * {@link #tolerance(OpFamily)}). Also gives the tests short helpers to move data.
 *
 * <p>Every kit test also checks that {@link Backend#liveBuffers()} is back where it started when
 * the test ends ({@link LeakCheck}), and the adapter is checked for kit tests it hides by an
 * override without {@code @Test}.
 */
@ExtendWith(LeakCheck.class)
public interface BackendUnderTest {

    /**
     * @return the backend under test, obtained by name, e.g. {@code Backends.get("cpu-simd")}; the kit
     *         never closes it (backends live for the JVM)
     */
    Backend backend();

    /**
     * The tolerance for an op family. Override only to loosen a family your backend cannot meet,
     * with a comment saying why; the kit's defaults are {@link OpFamily#defaultTolerance()}.
     */
    default Tolerance tolerance(OpFamily family) {
        return family.defaultTolerance();
    }

    /**
     * An adapter may skip a kit test only by overriding it with {@code @Test @Disabled("reason")};
     * an override without a test annotation would make JUnit drop the test without a word.
     */
    @Test
    default void noKitTestIsHiddenByAnUnannotatedOverride() {
        assertThat(KitIntegrity.hiddenKitTests(getClass()))
                .as("kit tests overridden without @Test (use @Test @Disabled(\"reason\") to skip one)").isEmpty();
    }

    /** @return a new buffer of this backend holding {@code values} */
    default Buffer upload(float... values) {
        Buffer b = backend().allocate(values.length);
        backend().upload(values, 0, b, 0, values.length);
        return b;
    }

    /** @return the whole content of {@code b}, after waiting for queued work */
    default float[] download(Buffer b) {
        float[] out = new float[(int) b.length()];
        backend().download(b, 0, out, 0, out.length);
        return out;
    }
}
