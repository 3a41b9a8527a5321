package dev.sequor.backend.simd;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.BufferPool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A heap {@code float[]} owned by one {@link SimdPrimitives}, leased from its {@link BufferPool}.
 * Closing drops the array (a stale reference to the buffer can no longer reach it) and hands it
 * back to the pool.
 *
 * <p>A buffer also carries a version and one cached derived form of its values (a packed weight).
 * Every op reaches the array through {@link SimdPrimitives#arr}, which bumps the version, so any
 * op that may write the buffer (an optimizer step, {@code copy_}, a load, an upload) invalidates the
 * cache; only {@link SimdPrimitives#arrRead}, used where an op provably only reads, leaves it.
 * Reads through {@code arr} invalidate too: conservative, never stale.
 */
final class SimdBuffer implements Buffer {

    private final SimdPrimitives owner;
    private final long length;
    private final BufferPool.Lease<float[]> lease;
    private volatile float[] data;
    private final AtomicLong version = new AtomicLong();
    private volatile Derived derived;

    /** A form computed from the values at {@code version}; {@code key} says which form and shape. */
    record Derived(long version, Object key, float[] data) {
    }

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
            derived = null;
        }
        if (released) {
            lease.release();
        }
    }

    SimdPrimitives owner() {
        return owner;
    }

    /** Marks the values as possibly changed: the cached form no longer applies. */
    void touch() {
        version.incrementAndGet();
    }

    /** @return the current version (changes on every {@link #touch()}) */
    long version() {
        return version.get();
    }

    /** @return the cached form for {@code key} if computed from the current values, else null */
    float[] derived(Object key) {
        Derived c = derived;
        return c != null && c.version() == version.get() && c.key().equals(key) ? c.data() : null;
    }

    /** Caches {@code form}, computed from the values at {@code atVersion} (a later touch discards it). */
    void derive(Object key, long atVersion, float[] form) {
        derived = new Derived(atVersion, key, form);
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
