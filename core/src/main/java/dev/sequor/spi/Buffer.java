package dev.sequor.spi;

/**
 * A block of float32 memory owned by one {@link Backend}: heap memory on a CPU backend, a device
 * buffer on an accelerator. Buffers are plain storage (no shape); {@code dev.sequor.core.Tensor}
 * gives them meaning. Offsets and lengths passed to backend methods are counted in floats.
 *
 * <p>A buffer is freed by {@link #close()}; using a closed buffer is an error that says so.
 * Closing twice is harmless. Implementations are not required to be thread-safe.
 */
public interface Buffer extends AutoCloseable {

    /** @return the number of float32 elements this buffer holds */
    long length();

    /** @return the backend that allocated this buffer, and the only one that may use it */
    Backend backend();

    /** @return whether {@link #close()} has been called */
    boolean isClosed();

    /** Frees the memory. Idempotent. */
    @Override
    void close();
}
