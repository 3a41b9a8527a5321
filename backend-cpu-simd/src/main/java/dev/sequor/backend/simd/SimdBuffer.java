package dev.sequor.backend.simd;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.BufferPool;

/**
 * A heap {@code float[]} owned by one {@link SimdPrimitives}, leased from its {@link BufferPool}.
 * Closing drops the array (a stale reference to the buffer can no longer reach it) and hands it
 * back to the pool.
 */
final class SimdBuffer implements Buffer {

    private final SimdPrimitives owner;
    private final long length;
    private final BufferPool.Lease<float[]> lease;
    private volatile float[] data;

    SimdBuffer(SimdPrimitives owner, BufferPool<float[]> pool, long length) {
        this.owner = owner;
        this.lease = pool.lease(this, length);
        this.data = lease.block();
        this.length = length;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    @Override
    public boolean isClosed() {
        return data == null;
    }

    @Override
    public void close() {
        boolean released;
        synchronized (this) {
            released = data != null;
            data = null;
        }
        if (released) {
            lease.release();
        }
    }

    SimdPrimitives owner() {
        return owner;
    }

    /** @return the array, or null once closed */
    float[] array() {
        return data;
    }

    @Override
    public String toString() {
        return "SimdBuffer[" + length + (isClosed() ? ", closed]" : "]");
    }
}
