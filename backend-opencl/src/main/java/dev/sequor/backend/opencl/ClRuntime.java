package dev.sequor.backend.opencl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One device's OpenCL state: a context, one in-order command queue, the kernel program (built once
 * from the {@code .cl} resources, with the build log in the exception when it fails) and a cache of
 * kernel objects. Kernel objects carry their arguments, so every launch (set arguments, enqueue)
 * holds this object's monitor; callers that launch several dependent kernels hold it across them.
 */
final class ClRuntime implements AutoCloseable {

    /** Kernel sources, concatenated in this order into one program. */
    private static final String[] SOURCES = {"common.cl", "elementwise.cl", "reduce.cl", "index.cl", "random.cl", "gemm.cl", "fused.cl", "recurrent.cl", "recurrent_bwd.cl", "attention.cl"};

    /** System property choosing the kernel family: {@code cpu} or {@code gpu} (default: by device type). */
    static final String KERNELS_PROPERTY = "sequor.opencl.kernels";

    final ClDevice device;
    /** Whether the GPU kernel family is built (tiled GEMM, float4 elementwise) rather than the CPU one. */
    final boolean gpuKernels;
    final cl_context context;
    final cl_command_queue queue;
    private final cl_program program;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    /** Work-group size for the one-dimensional elementwise kernels. */
    final long localSize;
    /** Elements per work-item of the vectorised elementwise kernels (VEC in common.cl). */
    final int vectorWidth;
    /** Bytes of device memory held now and at peak, over every allocation made through this runtime. */
    final DeviceMemory memory = new DeviceMemory();

    private ClRuntime(ClDevice device, boolean gpuKernels, cl_context context, cl_command_queue queue,
                      cl_program program) {
        this.device = device;
        this.gpuKernels = gpuKernels;
        this.context = context;
        this.queue = queue;
        this.program = program;
        this.localSize = Math.min(device.maxWorkGroup(), gpuKernels ? 256 : 64);
        this.vectorWidth = gpuKernels ? 4 : 16;
    }

    /**
     * Creates the context and queue on {@code d} and builds the kernels for its type, or for the
     * type forced by {@value #KERNELS_PROPERTY} ({@code cpu} or {@code gpu}): forcing {@code gpu} on
     * a CPU device is how the GPU kernels are tested without a GPU.
     */
    static ClRuntime open(ClDevice d) {
        String forced = System.getProperty(KERNELS_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        boolean gpuKernels = switch (forced) {
            case "gpu" -> true;
            case "cpu" -> false;
            case "" -> d.gpu();
            default -> throw new IllegalArgumentException(KERNELS_PROPERTY + " must be 'cpu' or 'gpu', got '" + forced + "'");
        };
        CL.setExceptionsEnabled(true);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL.CL_CONTEXT_PLATFORM, d.platform());
        cl_context ctx = CL.clCreateContext(props, 1, new cl_device_id[]{d.device()}, null, null, null);
        cl_command_queue q;
        try {
            q = createQueue(ctx, d);
        } catch (RuntimeException e) {
            CL.clReleaseContext(ctx);
            throw e;
        }
        cl_program prog;
        try {
            prog = build(ctx, d, gpuKernels);
        } catch (RuntimeException e) {
            CL.clReleaseCommandQueue(q);
            CL.clReleaseContext(ctx);
            throw e;
        }
        return new ClRuntime(d, gpuKernels, ctx, q, prog);
    }

    @SuppressWarnings("deprecation")
    private static cl_command_queue createQueue(cl_context ctx, ClDevice d) {
        // clCreateCommandQueueWithProperties exists only from OpenCL 2.0 on.
        if (d.version().matches("OpenCL [2-9].*")) {
            return CL.clCreateCommandQueueWithProperties(ctx, d.device(), new cl_queue_properties(), null);
        }
        return CL.clCreateCommandQueue(ctx, d.device(), 0, null);
    }

    private static cl_program build(cl_context ctx, ClDevice d, boolean gpuKernels) {
        StringBuilder src = new StringBuilder();
        for (String name : SOURCES) {
            src.append("// ---- ").append(name).append('\n').append(resource(name)).append('\n');
        }
        cl_program prog = CL.clCreateProgramWithSource(ctx, 1, new String[]{src.toString()}, null, null);
        String options = "-cl-std=CL1.2" + (gpuKernels ? " -DSEQ_GPU=1" : "");
        try {
            CL.clBuildProgram(prog, 1, new cl_device_id[]{d.device()}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(prog, d.device());
            CL.clReleaseProgram(prog);
            throw new IllegalStateException("opencl: building the kernels failed on " + d.describe()
                    + " (" + e.getMessage() + "). Build log:\n" + log, e);
        }
        return prog;
    }

    private static String buildLog(cl_program prog, cl_device_id dev) {
        try {
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(prog, dev, CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] bytes = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(prog, dev, CL.CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
            return new String(bytes, StandardCharsets.UTF_8).trim();
        } catch (CLException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    private static String resource(String name) {
        try (InputStream in = ClRuntime.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("opencl: kernel source " + name + " is missing from the module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("opencl: cannot read kernel source " + name, e);
        }
    }

    /** @return the bytes {@link #allocate} takes from the driver for a request of {@code bytes} */
    static long allocationSize(long bytes) {
        return Math.max(bytes, Sizeof.cl_float);
    }

    /**
     * @return a new zero-filled device allocation of {@link #allocationSize} bytes, counted in
     *         {@link #memory}; give it back with {@link #release}
     */
    cl_mem allocate(long bytes) {
        long size = allocationSize(bytes);
        cl_mem m;
        try {
            m = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, size, null, null);
        } catch (CLException e) {
            if (e.getStatus() == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || e.getStatus() == CL.CL_OUT_OF_RESOURCES
                    || e.getStatus() == CL.CL_OUT_OF_HOST_MEMORY || e.getStatus() == CL.CL_INVALID_BUFFER_SIZE) {
                throw new OutOfMemoryError("opencl: cannot allocate " + bytes + " bytes on " + device.deviceName()
                        + ": " + e.getMessage());
            }
            throw e;
        }
        memory.allocated(size);
        synchronized (this) {
            CL.clEnqueueFillBuffer(queue, m, Pointer.to(new float[]{0f}), Sizeof.cl_float, 0, size, 0, null, null);
        }
        return m;
    }

    /** Releases an allocation of {@code bytes} requested from {@link #allocate}. */
    void release(cl_mem m, long bytes) {
        // OpenCL defers the actual free until queued kernels that use it have finished.
        CL.clReleaseMemObject(m);
        memory.released(allocationSize(bytes));
    }

    /** Fills {@code n} floats from {@code offset} with {@code value}. */
    synchronized void fill(cl_mem m, long offset, long n, float value) {
        CL.clEnqueueFillBuffer(queue, m, Pointer.to(new float[]{value}), Sizeof.cl_float,
                offset * Sizeof.cl_float, n * Sizeof.cl_float, 0, null, null);
    }

    private synchronized cl_kernel kernel(String name) {
        return kernels.computeIfAbsent(name, k -> CL.clCreateKernel(program, k, null));
    }

    /**
     * Launches a one-dimensional kernel over {@code n} work-items, rounded up to the work-group size
     * (kernels guard with {@code if (i >= n) return}). On CPU devices a small launch (a few rows of a
     * row kernel) runs one work-item per group so that every compute unit gets some; only two group
     * sizes are used because PoCL compiles a kernel once per group size.
     */
    synchronized void launch1(String name, long n, Object... args) {
        if (n <= 0) {
            return;
        }
        long local = localSize;
        if (!gpuKernels && n < localSize * 4L * Math.max(1, device.computeUnits())) {
            local = 1;
        }
        long global = (n + local - 1) / local * local;
        launch(name, new long[]{global}, new long[]{local}, args);
    }

    /** Launches a kernel that handles {@link #vectorWidth} consecutive elements per work-item over {@code n}. */
    synchronized void launchVec(String name, long n, Object... args) {
        launch1(name, (n + vectorWidth - 1) / vectorWidth, args);
    }

    /**
     * Launches a two-dimensional kernel over {@code dim0 x dim1} work-items, each rounded up to a
     * work-group shape that spends at most {@link #localSize} items (kernels guard both dimensions).
     */
    synchronized void launch2(String name, long dim0, long dim1, Object... args) {
        if (dim0 <= 0 || dim1 <= 0) {
            return;
        }
        long l0 = Math.min(localSize, Long.highestOneBit(dim0 * 2 - 1));
        long l1 = Math.max(1, Math.min(localSize / l0, Long.highestOneBit(dim1 * 2 - 1)));
        launch(name, new long[]{(dim0 + l0 - 1) / l0 * l0, (dim1 + l1 - 1) / l1 * l1}, new long[]{l0, l1}, args);
    }

    /** Sets the arguments and enqueues {@code name}; {@code local} may be null (the driver chooses). */
    synchronized void launch(String name, long[] global, long[] local, Object... args) {
        cl_kernel k = kernel(name);
        for (int i = 0; i < args.length; i++) {
            setArg(k, i, args[i]);
        }
        CL.clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null);
    }

    private static void setArg(cl_kernel k, int i, Object a) {
        switch (a) {
            case cl_mem m -> CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
            case Integer v -> CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[]{v}));
            case Long v -> CL.clSetKernelArg(k, i, Sizeof.cl_long, Pointer.to(new long[]{v}));
            case Float v -> CL.clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[]{v}));
            case int[] v -> CL.clSetKernelArg(k, i, (long) Sizeof.cl_int * v.length, Pointer.to(v));
            case long[] v -> CL.clSetKernelArg(k, i, (long) Sizeof.cl_long * v.length, Pointer.to(v));
            default -> throw new IllegalArgumentException("opencl: unsupported kernel argument " + a);
        }
    }

    /** Blocks until everything queued has finished. */
    synchronized void finish() {
        CL.clFinish(queue);
    }

    @Override
    public synchronized void close() {
        for (cl_kernel k : kernels.values()) {
            CL.clReleaseKernel(k);
        }
        kernels.clear();
        CL.clReleaseProgram(program);
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }
}
