package dev.sequor.reference;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;

/**
 * A reference-backend buffer: a heap {@code float[]} of {@link #length()} elements. Closing drops
 * the array (so a use after close cannot read stale data) and tells the owner, which counts live
 * buffers.
 */
final class ReferenceBuffer implements Buffer {

    private final ReferenceBackend owner;
    private final long length;
    private float[] data;

    ReferenceBuffer(ReferenceBackend owner, float[] data) {
        this.owner = owner;
        this.data = data;
        this.length = data.length;
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
        owner.released();
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
