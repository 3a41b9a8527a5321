package dev.sequor.backend.simd;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small persistent pool that runs the parts of one job on all cores, the calling thread
 * included. Hand-off is a volatile job pointer that idle workers spin on for a short while and
 * then park on: an LSTM issues several parallel ops per time step, and a {@code ForkJoinPool}
 * hand-off (~17 us here) would cost more than the step's arithmetic, while spinning forever would
 * steal the core from everyone else.
 *
 * <p>Parts are claimed dynamically from a shared counter, so a core slowed by other processes
 * simply takes fewer parts. Calls from several threads at once, or from inside a part, run
 * serially on the calling thread instead of waiting for the pool.
 */
final class WorkerPool implements AutoCloseable {

    /** One part of a parallel job; {@code part} runs from 0 to the job's part count. */
    @FunctionalInterface
    interface Task {
        void run(int part);
    }

    /** How long an idle worker spins before parking; covers the gap between ops of one step. */
    private static final long SPIN_NANOS = 200_000;
    /** How long the caller spins for a straggling part before yielding its core. */
    private static final long WAIT_SPIN_NANOS = 100_000;
    /** How long the caller yields (letting a descheduled worker run) before parking. */
    private static final long WAIT_YIELD_NANOS = 1_000_000;

    private static final class Job {
        final Task task;
        final int parts;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger remaining;
        volatile Thread waiter;
        volatile Throwable failure;

        Job(Task task, int parts) {
            this.task = task;
            this.parts = parts;
            this.remaining = new AtomicInteger(parts);
        }

        /** Claims and runs parts until none is left. */
        void work() {
            int p;
            while ((p = next.getAndIncrement()) < parts) {
                try {
                    if (failure == null) {
                        task.run(p);
                    }
                } catch (Throwable t) {
                    failure = t;
                }
                if (remaining.decrementAndGet() == 0) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }
    }

    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(int id) {
            super("sequor-simd-" + id);
            setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = null;
            while (true) {
                Job job = awaitJob(seen);
                if (job == null) {
                    return;
                }
                seen = job;
                job.work();
            }
        }

        private Job awaitJob(Job seen) {
            long start = System.nanoTime();
            while (true) {
                if (closed) {
                    return null;
                }
                Job job = current;
                if (job != seen) {
                    return job;
                }
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                // Re-check after announcing: the submitter unparks only workers it sees parked.
                if (current == seen && !closed) {
                    LockSupport.park(this);
                }
                parked = false;
                start = System.nanoTime();
            }
        }
    }

    private final int size;
    private final Worker[] workers;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Job current;
    private volatile boolean closed;

    /** @param size total parallelism, the calling thread included (at least 1) */
    WorkerPool(int size) {
        this.size = Math.max(1, size);
        this.workers = new Worker[this.size - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    /** @return the number of threads that can run parts at once, the caller included */
    int size() {
        return size;
    }

    /**
     * Runs {@code task.run(p)} for every {@code p < parts}, in parallel where possible, and returns
     * when all are done. An exception from a part is rethrown here after the others finish.
     */
    void run(int parts, Task task) {
        if (parts <= 0) {
            return;
        }
        if (parts == 1 || workers.length == 0 || closed || lock.isHeldByCurrentThread() || !lock.tryLock()) {
            for (int p = 0; p < parts; p++) {
                task.run(p);
            }
            return;
        }
        try {
            Job job = new Job(task, parts);
            current = job;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            job.work();
            awaitDone(job);
            Throwable t = job.failure;
            if (t instanceof RuntimeException re) {
                throw re;
            } else if (t instanceof Error e) {
                throw e;
            } else if (t != null) {
                throw new IllegalStateException(t);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void awaitDone(Job job) {
        long start = System.nanoTime();
        while (job.remaining.get() != 0) {
            long waited = System.nanoTime() - start;
            if (waited < WAIT_SPIN_NANOS) {
                Thread.onSpinWait();
                continue;
            }
            if (waited < WAIT_YIELD_NANOS) {
                // On a loaded machine the straggler may be waiting for a core: offer ours.
                Thread.yield();
                continue;
            }
            job.waiter = Thread.currentThread();
            while (job.remaining.get() != 0) {
                LockSupport.parkNanos(job, 100_000);
            }
            return;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }
}
