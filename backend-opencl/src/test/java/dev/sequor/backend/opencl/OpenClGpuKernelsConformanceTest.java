package dev.sequor.backend.opencl;

import dev.sequor.conformance.BackendConformance;
import dev.sequor.spi.Backend;

/**
 * The whole conformance kit over the GPU kernel family (tiled GEMM, float4 elementwise and row
 * kernels) built on whatever device is present, so that family is checked on a CPU-only machine.
 * Default tolerances, as for {@link OpenClConformanceTest}.
 */
class OpenClGpuKernelsConformanceTest implements BackendConformance {

    @Override
    public Backend backend() {
        return OpenClTestSupport.gpuKernelsBackend();
    }
}
