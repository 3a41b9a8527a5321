package dev.sequor.backend.simd;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The backend's scratch arrays for what a kernel needs only during one call (the recurrent
 * kernels' per-step states and gradients, a reduction's accumulators): taken, used, given back,
 * so that a training step in steady state allocates no scratch on the heap. Unlike the tensor
 * buffer pool, nothing outside the kernel ever sees these arrays.
 *
 * <p>Arrays are kept by size class (the next power of two of the length asked for), at most
 * {@link #PER_CLASS} per class and {@link #MAX_BYTES} in all; what does not fit is left to the
 * garbage collector. Thread-safe: calls from several threads (the backend's users, the worker
 * pool's parts) each get their own arrays.
 */
final class Workspace {

    /** Arrays kept per size class: a few kernels of one step in flight, on a few threads. */
    static final int PER_CLASS = 8;
    /** The most bytes kept in all. */
    static final long MAX_BYTES = 64L << 20;
    /** The longest array kept (longer ones are allocated and dropped each time). */
    private static final int MAX_LENGTH = 1 << 24;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<float[]>[] floats = new ArrayDeque[31];
    @SuppressWarnings("unchecked")
    private final ArrayDeque<double[]>[] doubles = new ArrayDeque[31];
    private long bytes;

    /** @return a zeroed array of at least {@code n} floats, to be given back with {@link #give(float[])} */
    float[] floats(int n) {
        int c = sizeClass(n);
        float[] a = null;
        if (c >= 0) {
            synchronized (this) {
                ArrayDeque<float[]> q = floats[c];
                if (q != null && !q.isEmpty()) {
                    a = q.pop();
                    bytes -= 4L * a.length;
                }
            }
        }
        if (a == null) {
            return new float[c >= 0 ? 1 << c : n];
        }
        Arrays.fill(a, 0, n, 0f);
        return a;
    }

    /** @return a zeroed array of at least {@code n} doubles, to be given back with {@link #give(double[])} */
    double[] doubles(int n) {
        int c = sizeClass(n);
        double[] a = null;
        if (c >= 0) {
            synchronized (this) {
                ArrayDeque<double[]> q = doubles[c];
                if (q != null && !q.isEmpty()) {
                    a = q.pop();
                    bytes -= 8L * a.length;
                }
            }
        }
        if (a == null) {
            return new double[c >= 0 ? 1 << c : n];
        }
        Arrays.fill(a, 0, n, 0.0);
        return a;
    }

    /** Returns an array from {@link #floats(int)}; the caller no longer reads or writes it. */
    void give(float[] a) {
        int c = keptClass(a.length);
        if (c >= 0) {
            synchronized (this) {
                if (floats[c] == null) {
                    floats[c] = new ArrayDeque<>();
                }
                if (floats[c].size() < PER_CLASS && bytes + 4L * a.length <= MAX_BYTES) {
                    floats[c].push(a);
                    bytes += 4L * a.length;
                }
            }
        }
    }

    /** Returns an array from {@link #doubles(int)}; the caller no longer reads or writes it. */
    void give(double[] a) {
        int c = keptClass(a.length);
        if (c >= 0) {
            synchronized (this) {
                if (doubles[c] == null) {
                    doubles[c] = new ArrayDeque<>();
                }
                if (doubles[c].size() < PER_CLASS && bytes + 8L * a.length <= MAX_BYTES) {
                    doubles[c].push(a);
                    bytes += 8L * a.length;
                }
            }
        }
    }

    /** @return the bytes held for reuse now */
    synchronized long pooledBytes() {
        return bytes;
    }

    /** @return the class (log2 of the length handed out) for a request of n, or -1 if not kept */
    private static int sizeClass(int n) {
        if (n < 0) {
            throw new NegativeArraySizeException("workspace: " + n);
        }
        return n > MAX_LENGTH ? -1 : 32 - Integer.numberOfLeadingZeros(Math.max(n, 1) - 1);
    }

    /** @return the class of an array handed out by this workspace, or -1 for one it would not keep */
    private static int keptClass(int length) {
        return length > MAX_LENGTH || Integer.bitCount(length) != 1 ? -1 : Integer.numberOfTrailingZeros(length);
    }
}
