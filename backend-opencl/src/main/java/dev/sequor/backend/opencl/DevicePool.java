package dev.sequor.backend.opencl;

import dev.sequor.spi.BufferPool;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * The OpenCL backend's buffer pool: device allocations ({@code cl_mem}) recycled by exact length
 * through core's {@link BufferPool}, so a training step in steady state creates no new device
 * memory objects, and a buffer dropped without {@code close} is still released (on the backend's
 * next allocation, not on the Cleaner's thread). Blocks kept idle are bounded by a quarter of the
 * device's global memory and are accounted apart in {@link DeviceMemory}, so the backend's
 * device-byte counters measure what work uses.
 */
final class DevicePool {

    private DevicePool() {
    }

    /**
     * @param rt the runtime whose context allocates the blocks
     * @return a pool bounded by a quarter of {@code CL_DEVICE_GLOBAL_MEM_SIZE}
     */
    static BufferPool<cl_mem> create(ClRuntime rt) {
        return create(rt, globalMemBytes(rt) / 4);
    }

    /**
     * @param rt             the runtime whose context allocates the blocks
     * @param maxPooledBytes the most bytes kept idle (0 turns recycling off)
     * @return a pool over {@code rt}'s allocations
     */
    static BufferPool<cl_mem> create(ClRuntime rt, long maxPooledBytes) {
        return new BufferPool<>(new BufferPool.Memory<>() {
            @Override
            public cl_mem allocate(long length) {
                return rt.allocate(length * Sizeof.cl_float);
            }

            @Override
            public void clear(cl_mem block, long length) {
                if (length > 0) {
                    rt.fill(block, 0, length, 0f);
                }
            }

            @Override
            public void free(cl_mem block, long length) {
                rt.release(block, length * Sizeof.cl_float);
            }

            @Override
            public void enterIdle(cl_mem block, long length) {
                rt.memory.enteredIdle(ClRuntime.allocationSize(length * Sizeof.cl_float));
            }

            @Override
            public void leaveIdle(cl_mem block, long length, boolean reused) {
                rt.memory.leftIdle(ClRuntime.allocationSize(length * Sizeof.cl_float), reused);
            }
        }, maxPooledBytes);
    }

    private static long globalMemBytes(ClRuntime rt) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(rt.device.device(), CL.CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_long, Pointer.to(v), null);
        return v[0];
    }
}
