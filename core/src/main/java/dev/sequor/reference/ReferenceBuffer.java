package dev.sequor.reference;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.BufferPool;

/**
 * A reference-backend buffer: a heap {@code float[]} of {@link #length()} elements. Closing drops
 * the array (so a use after close cannot read it) and hands it back to the backend's
 * {@link BufferPool}, which counts live buffers.
 */
final class ReferenceBuffer implements Buffer {

    private final ReferenceBackend owner;
    private final long length;
    private final BufferPool.Lease<float[]> lease;
    private float[] data;

    ReferenceBuffer(ReferenceBackend owner, BufferPool<float[]> pool, long length) {
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
    public synchronized boolean isClosed() {
        return data == null;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (data == null) {
                return;
            }
            data = null;
        }
        lease.release();
    }

    /** @return the storage, or null once closed; callers go through {@link Checks#data}. */
    synchronized float[] storage() {
        return data;
    }

    @Override
    public String toString() {
        return "ReferenceBuffer[" + length + (data == null ? ", closed]" : "]");
    }
}
