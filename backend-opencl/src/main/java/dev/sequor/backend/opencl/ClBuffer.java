package dev.sequor.backend.opencl;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import org.jocl.cl_mem;

/**
 * A device buffer of float32: one {@code cl_mem}, released by {@link #close()} at once (not by a
 * finalizer), which is what keeps {@link Backend#liveBuffers()} exact.
 */
final class ClBuffer implements Buffer {

    private final OpenClBackend owner;
    private final long length;
    private cl_mem mem;

    ClBuffer(OpenClBackend owner, cl_mem mem, long length) {
        this.owner = owner;
        this.mem = mem;
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
            owner.released(this, m);
        }
    }

    @Override
    public String toString() {
        return "opencl buffer[" + length + (mem == null ? ", closed]" : "]");
    }
}
