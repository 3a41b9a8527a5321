package dev.sequor.backend.opencl;

import dev.sequor.conformance.BackendConformance;
import dev.sequor.conformance.BackendLookup;
import dev.sequor.spi.Backend;

/**
 * The whole conformance kit over the opencl backend, at the kit's default tolerances. Skipped with
 * the availability reason when OpenCL is missing, failed instead when {@code SEQUOR_REQUIRE_OPENCL=1}.
 */
class OpenClConformanceTest implements BackendConformance {

    @Override
    public Backend backend() {
        return BackendLookup.availableOrSkip("opencl", "SEQUOR_REQUIRE_OPENCL");
    }
}
