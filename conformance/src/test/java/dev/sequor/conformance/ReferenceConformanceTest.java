package dev.sequor.conformance;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;

/**
 * Runs the whole kit over the scalar {@code reference} backend, at the kit's default tolerances.
 * This is also the kit's own test that a one-class adapter works on the module path.
 */
class ReferenceConformanceTest implements BackendConformance {

    @Override
    public Backend backend() {
        return Backends.get("reference");
    }
}
