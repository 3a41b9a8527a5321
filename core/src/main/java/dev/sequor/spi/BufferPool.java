package dev.sequor.spi;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The one buffer pool every backend plugs into: memory blocks ({@code float[]}, a device handle)
 * are recycled by size class instead of allocated afresh, so a training step in steady state
 * allocates almost nothing. A backend's {@link Buffer} holds one {@link Lease}; the backend calls
 * {@link #lease} in {@code allocate} and {@link Lease#release()} in {@link Buffer#close()}.
 *
 * <p>Size classes are exact lengths: backends bound-check against their blocks' own length, and a
 * training step repeats its shapes exactly, so exact classes reuse everything and waste nothing.
 *
 * <p>Lifetimes. Only an explicit {@link Lease#release()} (a closed tensor, a scope) returns a block
 * to the pool, and the buffer handle is closed first, so a closed buffer's block is never read
 * through that buffer again. A buffer that becomes unreachable without being closed is reclaimed by
 * a {@link Cleaner} registered on the buffer handle itself, so nothing that still holds the handle
 * (a recorded graph, a kernel running on it) can lose it; such a block is never pooled (a kernel
 * may still hold the raw block), only freed, and device blocks are freed on the next
 * {@link #lease} call of the backend's own threads rather than on the Cleaner's thread.
 *
 * <p>Bounds: at most {@code maxPooledBytes} are kept idle; a class unused for
 * {@value #IDLE_NANOS_TEXT} is trimmed on the next lease; an allocation that fails with
 * {@link OutOfMemoryError} empties the pool and retries once.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 *
 * @param <M> the block type
 */
public final class BufferPool<M> {

    /** How the backend makes, clears and frees its blocks. */
    public interface Memory<M> {
        /** @return a new zero-filled block of {@code length} floats */
        M allocate(long length);

        /** Sets the first {@code length} floats of a recycled block to zero. */
        void clear(M block, long length);

        /** Frees a block of {@code length} floats now (a no-op for heap arrays, which the GC reclaims). */
        void free(M block, long length);

        /**
         * Told when a released block goes idle in the pool, for a backend that accounts the memory
         * its buffers use apart from what it keeps for reuse. Called with the pool's lock held.
         */
        default void enterIdle(M block, long length) {
        }

        /**
         * Told when an idle block leaves the pool: {@code reused} for a new lease, else on its way to
         * {@link #free}. Called with the pool's lock held.
         */
        default void leaveIdle(M block, long length, boolean reused) {
        }
    }

    /**
     * A snapshot of the pool's counters. {@code reclaimed} counts the buffers freed by the
     * {@link Cleaner} because they became unreachable unreleased, so {@code liveBuffers + reclaimed}
     * changes only when code allocates or explicitly closes: a leak check compares that sum, which
     * garbage from earlier work being collected meanwhile does not move. {@code peakLiveBytes} is the
     * most {@code liveBytes} reached since the pool was made or {@link #resetPeak()} last ran: the
     * memory a piece of work needed at once, which is what a benchmark of memory against size reads.
     */
    public record Stats(long liveBuffers, long liveBytes, long pooledBuffers, long pooledBytes,
                        long reused, long allocated, long reclaimed, long peakLiveBytes) {
        /**
         * @param liveBuffers the backend's live-buffer count
         * @return the counters of a backend without a pool: only its live-buffer count
         */
        public static Stats unpooled(long liveBuffers) {
            return new Stats(liveBuffers, -1, 0, 0, 0, liveBuffers, 0, -1);
        }
    }

    private static final Cleaner CLEANER = Cleaner.create();
    private static final long IDLE_NANOS = 10_000_000_000L;
    static final String IDLE_NANOS_TEXT = "10 s";

    private final Memory<M> memory;
    private final long maxPooledBytes;
    private final Map<Long, ArrayDeque<M>> idle = new HashMap<>();
    private final Map<Long, Long> lastUse = new HashMap<>();
    private final ConcurrentLinkedQueue<Orphan<M>> orphans = new ConcurrentLinkedQueue<>();

    private record Orphan<M>(M block, long length) {
    }
    private long liveBuffers;
    private long liveBytes;
    private long peakLiveBytes;
    private long pooledBuffers;
    private long pooledBytes;
    private long reused;
    private long allocated;
    private long reclaimed;
    private long lastTrim = System.nanoTime();

    /**
     * @param memory         the backend's block operations
     * @param maxPooledBytes the most bytes kept idle (0 turns recycling off)
     */
    public BufferPool(Memory<M> memory, long maxPooledBytes) {
        this.memory = memory;
        this.maxPooledBytes = maxPooledBytes;
    }

    /** @return a bound for heap pools: a quarter of the JVM's maximum heap */
    public static long heapBound() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** @return a pool of heap {@code float[]} blocks bounded by {@link #heapBound()} */
    public static BufferPool<float[]> heap() {
        return new BufferPool<>(new Memory<>() {
            @Override
            public float[] allocate(long length) {
                return new float[Math.toIntExact(length)];
            }

            @Override
            public void clear(float[] block, long length) {
                Arrays.fill(block, 0, (int) length, 0f);
            }

            @Override
            public void free(float[] block, long length) {
                // the GC reclaims it once nothing refers to it
            }
        }, heapBound());
    }

    /**
     * Takes a zero-filled block of exactly {@code length} floats for {@code handle}, recycled when
     * one is idle, and arranges for it to be freed if {@code handle} becomes unreachable unreleased.
     *
     * @param handle the backend's buffer object; the lease must not reference it
     */
    public Lease<M> lease(Object handle, long length) {
        drainOrphans();
        M block = null;
        synchronized (this) {
            ArrayDeque<M> q = idle.get(length);
            if (q != null && !q.isEmpty()) {
                block = q.pop();
                memory.leaveIdle(block, length, true);
                pooledBuffers--;
                pooledBytes -= length * 4;
                reused++;
            } else {
                allocated++;
            }
            lastUse.put(length, System.nanoTime());
            liveBuffers++;
            liveBytes += length * 4;
            peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
        }
        if (block != null) {
            memory.clear(block, length);
        } else {
            block = fresh(length);
        }
        Lease<M> lease = new Lease<>(this, block, length);
        lease.cleanable = CLEANER.register(handle, lease);
        return lease;
    }

    private M fresh(long length) {
        try {
            return memory.allocate(length);
        } catch (OutOfMemoryError e) {
            trim(true);
            try {
                return memory.allocate(length);
            } catch (OutOfMemoryError again) {
                synchronized (this) {
                    liveBuffers--;
                    liveBytes -= length * 4;
                    allocated--;
                }
                throw again;
            }
        }
    }

    /** @return the current counters */
    public synchronized Stats stats() {
        return new Stats(liveBuffers, liveBytes, pooledBuffers, pooledBytes, reused, allocated, reclaimed,
                peakLiveBytes);
    }

    /** Starts a new high-water mark: {@code peakLiveBytes} becomes the current {@code liveBytes}. */
    public synchronized void resetPeak() {
        peakLiveBytes = liveBytes;
    }

    /** @return the number of leased blocks not yet released or reclaimed */
    public synchronized long liveBuffers() {
        return liveBuffers;
    }

    /**
     * Frees idle blocks: all of them when {@code all}, else those of size classes unused for
     * {@value #IDLE_NANOS_TEXT}.
     */
    public void trim(boolean all) {
        List<Orphan<M>> freed = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            lastTrim = now;
            for (Iterator<Map.Entry<Long, ArrayDeque<M>>> it = idle.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, ArrayDeque<M>> e = it.next();
                if (all || now - lastUse.getOrDefault(e.getKey(), 0L) > IDLE_NANOS) {
                    pooledBuffers -= e.getValue().size();
                    pooledBytes -= e.getKey() * 4 * e.getValue().size();
                    for (M m : e.getValue()) {
                        memory.leaveIdle(m, e.getKey(), false);
                        freed.add(new Orphan<>(m, e.getKey()));
                    }
                    it.remove();
                    lastUse.remove(e.getKey());
                }
            }
        }
        freed.forEach(f -> memory.free(f.block(), f.length()));
        drainOrphans();
    }

    /** Frees every idle block and returns the blocks still leased to nobody; for a backend's close. */
    public void close() {
        trim(true);
    }

    private void give(M block, long length) {
        boolean keep;
        boolean trimDue;
        synchronized (this) {
            liveBuffers--;
            liveBytes -= length * 4;
            keep = pooledBytes + length * 4 <= maxPooledBytes;
            if (keep) {
                idle.computeIfAbsent(length, k -> new ArrayDeque<>()).push(block);
                memory.enterIdle(block, length);
                pooledBuffers++;
                pooledBytes += length * 4;
            }
            trimDue = System.nanoTime() - lastTrim > IDLE_NANOS;
        }
        if (!keep) {
            memory.free(block, length);
        }
        if (trimDue) {
            trim(false);
        }
    }

    private void orphan(M block, long length) {
        synchronized (this) {
            reclaimed++;
            liveBuffers--;
            liveBytes -= length * 4;
        }
        orphans.add(new Orphan<>(block, length));
    }

    private void drainOrphans() {
        for (Orphan<M> o; (o = orphans.poll()) != null; ) {
            memory.free(o.block(), o.length());
        }
    }

    /**
     * One buffer's hold on a block. {@link #release()} returns it to the pool (call it from the
     * buffer's {@code close}, after the buffer stopped handing out the block); if the buffer is
     * collected unreleased, the block is freed, never pooled.
     */
    public static final class Lease<M> implements Runnable {
        private final BufferPool<M> pool;
        private final M block;
        private final long length;
        private Cleaner.Cleanable cleanable;
        private volatile boolean explicit;

        private Lease(BufferPool<M> pool, M block, long length) {
            this.pool = pool;
            this.block = block;
            this.length = length;
        }

        /** @return the block */
        public M block() {
            return block;
        }

        /** @return the length in floats */
        public long length() {
            return length;
        }

        /** Returns the block to the pool. Idempotent. */
        public void release() {
            explicit = true;
            cleanable.clean();
        }

        /** Called once: by {@link #release()} or by the Cleaner. */
        @Override
        public void run() {
            if (explicit) {
                pool.give(block, length);
            } else {
                pool.orphan(block, length);
            }
        }
    }
}
