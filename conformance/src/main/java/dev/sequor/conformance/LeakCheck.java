package dev.sequor.conformance;

import dev.sequor.spi.Backend;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a kit test that ends with more (or fewer) live buffers on the backend than it began with:
 * every test frees what it allocates, so a backend whose {@code close} or {@code liveBuffers} is
 * wrong is caught by every test, not just the one about memory. The count compared is live plus
 * reclaimed buffers ({@link dev.sequor.spi.BufferPool.Stats}): a pooled backend's Cleaner may free
 * an earlier test's garbage during this test, which lowers the live count but not that sum, while
 * a buffer this test forgot stays counted whether or not the GC has reclaimed it yet.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

    /** Created by JUnit. */
    public LeakCheck() {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("live", allocatedNotClosed(backend(context)));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            return; // the test already failed; a failed test may well have left buffers open
        }
        Backend b = backend(context);
        b.synchronize();
        long before = context.getStore(NS).get("live", Long.class);
        long after = allocatedNotClosed(b);
        if (after != before) {
            throw new AssertionError("backend '" + b.name() + "' has " + after + " live buffers after "
                    + context.getDisplayName() + ", " + before
                    + " before: a buffer was not freed or liveBuffers miscounts");
        }
    }

    private static long allocatedNotClosed(Backend b) {
        var stats = b.memoryStats();
        return stats.liveBuffers() + stats.reclaimed();
    }

    private static Backend backend(ExtensionContext context) {
        return ((BackendUnderTest) context.getRequiredTestInstance()).backend();
    }
}
