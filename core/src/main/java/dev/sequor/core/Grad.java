package dev.sequor.core;

/**
 * Switches gradient recording for the current thread. Inside {@code try (var g = Grad.disabled())}
 * no op records a backward function, which saves memory and time at inference.
 */
public final class Grad implements AutoCloseable {

    private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private Grad() {
        DISABLED.get()[0]++;
    }

    /** @return a scope in which no op records gradients; close it to restore the previous state */
    public static Grad disabled() {
        return new Grad();
    }

    /** @return whether ops on this thread currently record backward functions */
    public static boolean isEnabled() {
        return DISABLED.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DISABLED.get()[0]--;
        }
    }
}
