package dev.sequor.backend.opencl;

import dev.sequor.conformance.BackendLookup;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;

import java.util.Random;

/**
 * How the tests get the backend: skipped with the availability reason when OpenCL is missing,
 * except when {@code SEQUOR_REQUIRE_OPENCL=1}, where a missing platform fails the tests instead.
 */
final class OpenClTestSupport {

    /** The environment variable CI sets to make a missing OpenCL platform a failure. */
    static final String REQUIRE = "SEQUOR_REQUIRE_OPENCL";

    private OpenClTestSupport() {
    }

    /** @return the shared opencl backend, or aborts (skip) / fails the test with the reason */
    static Backend backend() {
        return BackendLookup.availableOrSkip(OpenClProvider.NAME, REQUIRE);
    }

    private static Backend gpuKernels;

    /**
     * @return a second backend on the same device built with the GPU kernel family (tiled GEMM,
     *         float4 elementwise), so those kernels are tested on a CPU device too; kept for the JVM
     */
    static synchronized Backend gpuKernelsBackend() {
        backend();
        if (gpuKernels == null) {
            System.setProperty(ClRuntime.KERNELS_PROPERTY, "gpu");
            try {
                gpuKernels = new OpenClBackend(ClRuntime.open(DeviceSelector.probe().chosen()));
            } finally {
                System.clearProperty(ClRuntime.KERNELS_PROPERTY);
            }
        }
        return gpuKernels;
    }

    static Buffer upload(Backend be, float[] data) {
        Buffer b = be.allocate(data.length);
        be.upload(data, 0, b, 0, data.length);
        return b;
    }

    static float[] download(Backend be, Buffer b) {
        float[] out = new float[(int) b.length()];
        be.download(b, 0, out, 0, out.length);
        return out;
    }

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
