package dev.sequor.backend.simd;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;

/**
 * A heap {@code float[]} owned by one {@link SimdPrimitives}. Closing drops the array so the memory
 * can be collected even while a stale reference to the buffer lives on.
 */
final class SimdBuffer implements Buffer {

    private final SimdPrimitives owner;
    private final long length;
    private volatile float[] data;

    SimdBuffer(SimdPrimitives owner, float[] data) {
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
            owner.released();
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
