package dev.sequor.backend.opencl;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Device-memory accounting, in one place: every {@code cl_mem} this backend creates (user buffers and
 * its own scratch, such as GEMM packing panels) is counted here when created and when released, so
 * {@link #now()} is the bytes allocated at this moment and {@link #peak()} the most held at once since
 * the last {@link #resetPeak()}. Counts the sizes requested from the driver (at least 4 bytes each),
 * not the driver's own rounding or bookkeeping. Blocks the backend's buffer pool keeps idle for reuse
 * are counted apart ({@link #idle()}), so {@link #now()} and {@link #peak()} measure what work uses.
 */
final class DeviceMemory {

    private final AtomicLong now = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong idle = new AtomicLong();

    /** Records an allocation of {@code bytes}. */
    void allocated(long bytes) {
        long n = now.addAndGet(bytes);
        peak.accumulateAndGet(n, Math::max);
    }

    /** Records the release of an allocation of {@code bytes}. */
    void released(long bytes) {
        now.addAndGet(-bytes);
    }

    /** Records that an allocation of {@code bytes} went idle in the buffer pool. */
    void enteredIdle(long bytes) {
        now.addAndGet(-bytes);
        idle.addAndGet(bytes);
    }

    /**
     * Records that an idle allocation of {@code bytes} left the pool: in use again when
     * {@code reused}, else about to be {@link #released}.
     */
    void leftIdle(long bytes, boolean reused) {
        idle.addAndGet(-bytes);
        long n = now.addAndGet(bytes);
        if (reused) {
            peak.accumulateAndGet(n, Math::max);
        }
    }

    /** @return bytes allocated and kept idle by the buffer pool */
    long idle() {
        return idle.get();
    }

    /** @return bytes allocated, in use (not idle in the pool) and not yet released */
    long now() {
        return now.get();
    }

    /** @return the most bytes allocated at once since creation or the last {@link #resetPeak()} */
    long peak() {
        return peak.get();
    }

    /** Starts a new peak window at the current allocation. */
    void resetPeak() {
        peak.set(now.get());
    }
}
