package dev.sequor.backend.opencl;

import dev.sequor.spi.Availability;
import dev.sequor.spi.Backend;
import dev.sequor.spi.BackendProvider;

/**
 * Provides the {@code opencl} backend. Its priority is {@value #GPU_PRIORITY} when a GPU is present
 * (above {@code cpu-simd}'s 100) and {@value #CPU_PRIORITY} otherwise, so that an OpenCL CPU driver
 * such as PoCL never displaces the native SIMD backend unless a user asks for it by name.
 *
 * <p>{@link #availability()} loads the OpenCL library and lists devices once (no kernels are
 * compiled); the reason it gives names the platform and device that {@link #create()} will use.
 */
public final class OpenClProvider implements BackendProvider {

    /** The name users select this backend by. */
    public static final String NAME = "opencl";
    static final int GPU_PRIORITY = 200;
    static final int CPU_PRIORITY = 50;

    private DeviceSelector.Result probed;

    /** Creates the provider; nothing is probed until asked. */
    public OpenClProvider() {
    }

    private synchronized DeviceSelector.Result probed() {
        if (probed == null) {
            probed = DeviceSelector.probe();
        }
        return probed;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        ClDevice d = probed().chosen();
        return d != null && d.gpu() ? GPU_PRIORITY : CPU_PRIORITY;
    }

    @Override
    public Availability availability() {
        try {
            DeviceSelector.Result r = probed();
            return r.chosen() != null ? Availability.yes(r.chosen().describe()) : Availability.no(r.problem());
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("OpenCL probing failed: " + e);
        }
    }

    @Override
    public Backend create() {
        DeviceSelector.Result r = probed();
        if (r.chosen() == null) {
            throw new IllegalStateException("opencl backend unavailable: " + r.problem());
        }
        return new OpenClBackend(ClRuntime.open(r.chosen()));
    }
}
