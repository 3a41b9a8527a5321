package dev.sequor.backend.simd;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Runs a chain of dependent steps (the time steps of a recurrent layer), each split into parts,
 * on the pool's threads with ONE pool hand-off for the whole chain and a spinning step barrier
 * between steps.
 *
 * <p>On a machine shared with other processes a helper thread is often descheduled for a whole
 * scheduler slice (milliseconds) in the middle of a part, and a barrier that waits for it would
 * stall every step. So a part that is still unfinished once a participant has run out of parts to
 * claim, and has waited about one part's time, is simply run again by that participant: parts are
 * required to be <em>idempotent and final-valued</em> (every write stores its final value, reads
 * see only earlier steps' results, scratch is per thread), so two runs of a part, or a late
 * descheduled run overlapping later steps, store the same values. Steps therefore go at the speed
 * of the threads that are actually running, and a preempted helper costs one part, not a slice.
 * A participant that wakes up behind the frontier skips ahead to it.
 */
final class StepTeam {

    /** One part of one step. Must be idempotent and final-valued (see the class comment). */
    @FunctionalInterface
    interface Part {
        void run(int step, int part);
    }

    /** How long a participant spins on the frontier before it also yields its core. */
    private static final long SPIN_NANOS = 50_000;
    /** The longest a participant waits for another's part before running it itself. */
    private static final long MAX_GRACE_NANOS = 200_000;

    private final int steps;
    private final int parts;
    private final Part body;
    private final AtomicIntegerArray claimed;
    private final AtomicIntegerArray done;      // per step and part: 1 once some run has finished
    private final AtomicIntegerArray count;     // per step: parts finished
    private volatile int frontier;              // steps [0, frontier) are complete
    private volatile long partNanos = 20_000;   // a running estimate of one part's time

    private StepTeam(int steps, int parts, Part body) {
        this.steps = steps;
        this.parts = parts;
        this.body = body;
        this.claimed = new AtomicIntegerArray(steps);
        this.done = new AtomicIntegerArray(steps * parts);
        this.count = new AtomicIntegerArray(steps);
    }

    /** Runs {@code body(s, p)} for every step {@code s < steps} in order and every part {@code p < parts}. */
    static void run(WorkerPool pool, int steps, int parts, Part body) {
        if (pool.size() == 1 || parts == 1) {
            for (int s = 0; s < steps; s++) {
                for (int p = 0; p < parts; p++) {
                    body.run(s, p);
                }
            }
            return;
        }
        StepTeam team = new StepTeam(steps, parts, body);
        pool.run(pool.size(), ignored -> team.participate());
    }

    private void participate() {
        int s = frontier;
        while (s < steps) {
            int p;
            while ((p = claimed.getAndIncrement(s)) < parts) {
                long t0 = System.nanoTime();
                runPart(s, p);
                // A run that was descheduled midway measures a whole slice: follow drops at once
                // and rises only slowly, so the estimate stays near an undisturbed part's time.
                long took = System.nanoTime() - t0;
                long est = partNanos;
                partNanos = took < est ? took : est + (took - est) / 16;
            }
            awaitStep(s);
            s = Math.max(s + 1, frontier);
        }
    }

    private void runPart(int s, int p) {
        body.run(s, p);
        if (done.compareAndSet(s * parts + p, 0, 1) && count.incrementAndGet(s) == parts) {
            frontier = s + 1;
        }
    }

    /** Waits until step s is complete, re-running its unfinished parts once they look stuck. */
    private void awaitStep(int s) {
        long start = System.nanoTime();
        boolean stolen = false;
        while (frontier <= s) {
            long waited = System.nanoTime() - start;
            if (!stolen && waited > Math.min(partNanos, MAX_GRACE_NANOS) + 2_000) {
                for (int q = 0; q < parts && frontier <= s; q++) {
                    if (done.get(s * parts + q) == 0) {
                        runPart(s, q);
                    }
                }
                stolen = true;
                continue;
            }
            if (waited < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
