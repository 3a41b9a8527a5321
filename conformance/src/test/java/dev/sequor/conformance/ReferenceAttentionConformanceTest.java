package dev.sequor.conformance;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;

/** The reference backend (which runs the core defaults of the fused kernels) under the attention kit. */
class ReferenceAttentionConformanceTest implements AttentionConformance {

    @Override
    public Backend backend() {
        return Backends.get("reference");
    }
}
