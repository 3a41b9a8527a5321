package dev.sequor.backend.simd;

import dev.sequor.conformance.BackendConformance;
import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;

/** The whole conformance kit over {@code cpu-simd}, at the kit's default tolerances. */
class SimdConformanceTest implements BackendConformance {

    @Override
    public Backend backend() {
        return Backends.get("cpu-simd");
    }
}
