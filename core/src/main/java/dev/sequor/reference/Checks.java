package dev.sequor.reference;

import dev.sequor.spi.Buffer;

import java.util.Arrays;

/**
 * The cheap validation every reference op does before touching memory: ownership, closed buffers,
 * ranges, and integer indices stored as floats. Messages name the op and the offending values.
 */
final class Checks {

    private Checks() {
    }

    /**
     * @return the storage of {@code b}, after checking that {@code owner} allocated it and that it
     *         is open
     */
    static float[] data(ReferenceBackend owner, String op, String role, Buffer b) {
        if (b == null) {
            throw new IllegalArgumentException(op + ": buffer " + role + " is null");
        }
        if (!(b instanceof ReferenceBuffer rb) || rb.backend() != owner) {
            String other = b.backend() == null ? "an unknown backend"
                    : b.backend().name().equals(owner.name()) ? "another instance of backend '" + owner.name() + "'"
                    : "backend '" + b.backend().name() + "'";
            throw new IllegalArgumentException(op + ": buffer " + role + " belongs to " + other
                    + ", not to backend '" + owner.name() + "'; copy it through the host first");
        }
        float[] d = rb.storage();
        if (d == null) {
            throw new IllegalStateException(op + ": buffer " + role + " is closed");
        }
        return d;
    }

    /** Checks {@code [offset, offset + n)} lies inside a buffer (or array) of {@code length}. */
    static void range(String op, String role, long offset, long n, long length) {
        if (n < 0) {
            throw new IllegalArgumentException(op + ": negative count " + n + " for " + role);
        }
        if (offset < 0 || offset > length - n) {
            throw new IllegalArgumentException(op + ": range [" + offset + ", " + (offset + n) + ") of " + role
                    + " is out of bounds for length " + length);
        }
    }

    /** Checks that every size is non-negative and returns their product. */
    static long sizes(String op, int outer, int n, int inner) {
        if (outer < 0 || n < 0 || inner < 0) {
            throw new IllegalArgumentException(op + ": negative size in (outer, n, inner) = ("
                    + outer + ", " + n + ", " + inner + ")");
        }
        return (long) outer * n * inner;
    }

    /**
     * Reads an index stored as a float.
     *
     * @throws IndexOutOfBoundsException naming the index and the bound unless it is an integer in
     *         {@code [0, bound)} (NaN and fractions included)
     */
    static int index(String op, float v, int bound) {
        if (!(v >= 0 && v < bound && v == Math.rint(v))) {
            String shown = v == Math.rint(v) && !Float.isInfinite(v) ? Long.toString((long) v) : Float.toString(v);
            throw new IndexOutOfBoundsException(op + ": index " + shown + " out of range [0, " + bound + ")");
        }
        return (int) v;
    }

    /** Checks a strided operand's rank, then that every position it reaches lies in the buffer. */
    static void strided(String op, String role, long offset, long[] strides, int[] shape, long length) {
        if (strides == null || strides.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + role + " strides have rank "
                    + (strides == null ? "null" : strides.length) + " but the shape has rank " + shape.length);
        }
        if (Strided.count(shape) == 0) {
            return;
        }
        long lo = offset;
        long hi = offset;
        for (int d = 0; d < shape.length; d++) {
            long reach = (shape[d] - 1L) * strides[d];
            lo += Math.min(0, reach);
            hi += Math.max(0, reach);
        }
        if (lo < 0 || hi >= length) {
            throw new IllegalArgumentException(op + ": " + role + " reaches elements [" + lo + ", " + hi
                    + "] outside a buffer of length " + length);
        }
    }

    /** Checks the iteration shape: rank 0 to 8, non-negative dimensions. */
    static void shape(String op, int[] shape) {
        if (shape == null || shape.length > 8) {
            throw new IllegalArgumentException(op + ": shape rank must be 0 to 8, got "
                    + (shape == null ? "null" : shape.length));
        }
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape "
                        + Arrays.toString(shape));
            }
        }
    }
}
