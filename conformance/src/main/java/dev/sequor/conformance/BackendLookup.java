package dev.sequor.conformance;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;

import java.util.Locale;

import org.junit.jupiter.api.Assumptions;

/**
 * How an adapter obtains its backend when the hardware may be missing: the backend if it is
 * available; otherwise the kit's tests are skipped with the provider's own reason, or fail when the
 * run requires the backend (CI sets, e.g., {@code SEQUOR_REQUIRE_OPENCL=1}). A skip always carries
 * the reason; a required backend never skips silently.
 *
 * <pre>{@code
 * class OpenClConformanceTest implements BackendConformance {
 *     @Override
 *     public Backend backend() {
 *         return BackendLookup.availableOrSkip("opencl", "SEQUOR_REQUIRE_OPENCL");
 *     }
 * }
 * }</pre>
 */
public final class BackendLookup {

    private BackendLookup() {
    }

    /**
     * @param name            the provider name
     * @param requireVariable an environment variable; when it is {@code 1} or {@code true}, a missing
     *                        backend fails instead of skipping
     * @return the backend, if available
     */
    public static Backend availableOrSkip(String name, String requireVariable) {
        String v = System.getenv(requireVariable);
        boolean required = v != null && (v.equals("1") || v.toLowerCase(Locale.ROOT).equals("true"));
        return availableOrSkip(name, required);
    }

    /**
     * @param name     the provider name
     * @param required whether a missing or unavailable backend is a failure rather than a skip
     * @return the backend, if available
     * @throws IllegalStateException when it is required but missing or unavailable (listing what was found)
     * @throws org.opentest4j.TestAbortedException (a skip, with the reason) when it is not required
     */
    public static Backend availableOrSkip(String name, boolean required) {
        Backends.Info info = Backends.available().stream()
                .filter(i -> i.name().equalsIgnoreCase(name)).findFirst().orElse(null);
        if (info != null && info.status().available()) {
            return Backends.get(name);
        }
        if (required) {
            return Backends.get(name); // throws, listing every backend found and why
        }
        String reason = info == null ? "no provider named '" + name + "' on the module path"
                : info.status().reason();
        Assumptions.abort("backend '" + name + "' is unavailable, skipping its conformance tests: " + reason);
        throw new AssertionError("unreachable");
    }
}
