package dev.sequor.conformance;

import dev.sequor.spi.Backend;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a kit test that ends with more (or fewer) live buffers on the backend than it began with:
 * every test frees what it allocates, so a backend whose {@code close} or {@code liveBuffers} is
 * wrong is caught by every test, not just the one about memory.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

    /** Created by JUnit. */
    public LeakCheck() {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("live", backend(context).liveBuffers());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            return; // the test already failed; a failed test may well have left buffers open
        }
        Backend b = backend(context);
        b.synchronize();
        long before = context.getStore(NS).get("live", Long.class);
        long after = b.liveBuffers();
        if (after != before) {
            throw new AssertionError("backend '" + b.name() + "' has " + after + " live buffers after "
                    + context.getDisplayName() + ", " + before
                    + " before: a buffer was not freed or liveBuffers miscounts");
        }
    }

    private static Backend backend(ExtensionContext context) {
        return ((BackendUnderTest) context.getRequiredTestInstance()).backend();
    }
}
