package dev.sequor.conformance;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;

import java.lang.reflect.Proxy;

/**
 * A buffer that belongs to no real backend, for checking that a backend refuses buffers it did not
 * allocate. Its {@link #backend()} answers only {@code name()} (as {@value #BACKEND_NAME}) and
 * {@code description()}; any other call on that backend throws.
 */
public final class ForeignBuffer implements Buffer {

    /** The name the foreign buffer's backend reports. */
    public static final String BACKEND_NAME = "conformance-foreign";

    private static final Backend FOREIGN = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class}, (proxy, method, args) -> switch (method.getName()) {
                case "name" -> BACKEND_NAME;
                case "description" -> "a stand-in backend of the conformance kit";
                case "toString" -> "Backend[" + BACKEND_NAME + "]";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(BACKEND_NAME + " cannot " + method.getName());
            });

    private final long length;
    private boolean closed;

    private ForeignBuffer(long length) {
        this.length = length;
    }

    /** @return an open foreign buffer of {@code length} elements */
    public static ForeignBuffer of(long length) {
        return new ForeignBuffer(length);
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public Backend backend() {
        return FOREIGN;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
