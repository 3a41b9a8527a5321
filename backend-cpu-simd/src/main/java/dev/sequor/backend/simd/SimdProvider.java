package dev.sequor.backend.simd;

import dev.sequor.spi.Availability;
import dev.sequor.spi.Backend;
import dev.sequor.spi.BackendProvider;

/**
 * Provides the {@code cpu-simd} backend: the JDK Vector API on every core. Available when the
 * preferred float species has at least four lanes; the backend and its threads are created only
 * by {@link #create()}.
 */
public final class SimdProvider implements BackendProvider {

    /** The name users select this backend by. */
    public static final String NAME = "cpu-simd";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public SimdProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability() {
        try {
            return Probe.probe();
        } catch (LinkageError | RuntimeException e) {
            // Thrown when jdk.incubator.vector is not resolved (e.g. a runtime image without it).
            return Availability.no("the JDK Vector API (module jdk.incubator.vector) is not usable (" + e
                    + "); on the class path, run java with --add-modules jdk.incubator.vector");
        }
    }

    @Override
    public Backend create() {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("cpu-simd cannot start: " + a.reason());
        }
        return new SimdBackend(threadCount());
    }

    static int threadCount() {
        String prop = System.getProperty("sequor.simd.threads");
        if (prop != null && !prop.isBlank()) {
            try {
                return Math.max(1, Integer.parseInt(prop.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("sequor.simd.threads must be an integer, got '" + prop + "'", e);
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Kept apart so that loading the provider never touches Vector API classes. */
    private static final class Probe {
        static Availability probe() {
            var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
            int lanes = species.length();
            if (lanes < 4) {
                return Availability.no("the preferred float vector has " + lanes
                        + " lanes (need at least 4): no usable SIMD");
            }
            return Availability.yes("FloatVector " + species.vectorShape() + " (" + lanes + " lanes), "
                    + threadCount() + " threads");
        }
    }
}
