package dev.sequor.spi;

/**
 * The service a backend module provides ({@code provides dev.sequor.spi.BackendProvider with ...}).
 * Providers are cheap: {@link #availability()} probes without compiling kernels or starting
 * threads, and {@link #create()} builds the backend only when it is chosen.
 *
 * <p>Selection ({@code dev.sequor.core.Backends}): the provider named by the system property
 * {@code sequor.backend} or the variable {@code SEQUOR_BACKEND}, otherwise the available provider
 * with the highest {@link #priority()}. The scalar {@code reference} backend has priority 0.
 */
public interface BackendProvider {

    /** @return the short, unique, lower-case name users select it by, e.g. {@code "cpu-simd"} */
    String name();

    /** @return higher wins when no backend is named; may depend on the hardware found */
    int priority();

    /** @return whether the backend can run here; never throws */
    Availability availability();

    /**
     * Creates the backend. Called at most once per session by {@code Backends}.
     *
     * @throws IllegalStateException when the backend turns out to be unusable, with the reason
     */
    Backend create();
}
