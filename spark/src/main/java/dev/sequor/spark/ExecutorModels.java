package dev.sequor.spark;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Models loaded on this JVM, by broadcast id: the first task of a job on an executor loads the model,
 * the others (concurrent or later) reuse it. Entries go when their broadcast is released
 * ({@link #release}); a new scoring job brings a new broadcast and so a fresh load.
 */
final class ExecutorModels {
    private static final ConcurrentHashMap<Long, Object> MODELS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Long, Integer> LOADS = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    @SuppressWarnings("unchecked")
    static <M> M get(long broadcastId, Supplier<M> load) {
        return (M) MODELS.computeIfAbsent(broadcastId, id -> {
            LOADS.merge(id, 1, Integer::sum);
            return load.get();
        });
    }

    /** @return how often this JVM loaded the model of {@code broadcastId} (1 when the cache works) */
    static int loads(long broadcastId) {
        return LOADS.getOrDefault(broadcastId, 0);
    }

    static void release(long broadcastId) {
        MODELS.remove(broadcastId);
    }
}
