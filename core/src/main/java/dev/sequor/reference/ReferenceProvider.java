package dev.sequor.reference;

import dev.sequor.spi.Availability;
import dev.sequor.spi.Backend;
import dev.sequor.spi.BackendProvider;

/**
 * Provides the scalar {@code reference} backend: plain Java on heap {@code float[]} buffers,
 * accumulating in double. It runs everywhere, so it is always available, and it has the lowest
 * priority (0): it is chosen only when asked for by name or when nothing faster is found.
 */
public final class ReferenceProvider implements BackendProvider {

    /** The name users select this backend by. */
    public static final String NAME = "reference";

    /** Creates the provider; ServiceLoader calls this. */
    public ReferenceProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.yes("scalar Java on the heap, one thread, double accumulation");
    }

    @Override
    public Backend create() {
        return new ReferenceBackend();
    }
}
