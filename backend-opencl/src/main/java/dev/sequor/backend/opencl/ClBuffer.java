package dev.sequor.backend.opencl;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.BufferPool;
import org.jocl.cl_mem;

/**
 * A device buffer of float32: one {@code cl_mem} leased from the backend's {@link DevicePool}.
 * {@link #close()} returns it to the pool at once, which keeps {@link Backend#liveBuffers()} exact;
 * a buffer dropped unclosed is released by the pool's Cleaner once nothing holds this object.
 */
final class ClBuffer implements Buffer {

    private final OpenClBackend owner;
    private final long length;
    private final BufferPool.Lease<cl_mem> lease;
    private cl_mem mem;

    ClBuffer(OpenClBackend owner, BufferPool<cl_mem> pool, long length) {
        this.owner = owner;
        this.lease = pool.lease(this, length);
        this.mem = lease.block();
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
        return mem == null;
    }

    /** @return the memory object; throws if closed */
    cl_mem mem(String op, String role) {
        cl_mem m = mem;
        if (m == null) {
            throw new IllegalStateException(op + ": buffer " + role + " is closed");
        }
        return m;
    }

    @Override
    public void close() {
        cl_mem m;
        synchronized (this) {
            m = mem;
            mem = null;
        }
        if (m != null) {
            owner.released(this);
            lease.release();
        }
    }

    @Override
    public String toString() {
        return "opencl buffer[" + length + (mem == null ? ", closed]" : "]");
    }
}
