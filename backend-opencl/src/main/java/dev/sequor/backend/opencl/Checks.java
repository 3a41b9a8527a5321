package dev.sequor.backend.opencl;

import dev.sequor.spi.Buffer;
import org.jocl.cl_mem;

import java.util.Arrays;

/**
 * The cheap validation done on the host before anything is queued: ownership, closed buffers and
 * ranges. A kernel never sees an out-of-range offset, so device memory cannot be corrupted by a bad
 * call. Messages name the op and the offending values.
 */
final class Checks {

    private Checks() {
    }

    /** @return the memory object of {@code b} after checking that {@code owner} allocated it and it is open */
    static cl_mem mem(OpenClBackend owner, String op, String role, Buffer b) {
        return buffer(owner, op, role, b).mem(op, role);
    }

    static ClBuffer buffer(OpenClBackend owner, String op, String role, Buffer b) {
        if (b == null) {
            throw new IllegalArgumentException(op + ": buffer " + role + " is null");
        }
        if (!(b instanceof ClBuffer cb) || b.backend() != owner) {
            throw new IllegalArgumentException(op + ": buffer " + role + " belongs to backend '"
                    + (b.backend() == null ? "?" : b.backend().name()) + "', not to this opencl backend; copy it through the host first");
        }
        return cb;
    }

    /** Checks {@code [offset, offset + n)} lies inside something of {@code length}. */
    static void range(String op, String role, long offset, long n, long length) {
        if (n < 0) {
            throw new IllegalArgumentException(op + ": negative count " + n + " for " + role);
        }
        if (offset < 0 || offset > length - n) {
            throw new IllegalArgumentException(op + ": range [" + offset + ", " + (offset + n) + ") of " + role
                    + " is out of bounds for length " + length);
        }
    }

    /** Checks (outer, n, inner) and that a buffer holds at least their product; returns the product. */
    static long sizes(String op, int outer, int n, int inner) {
        if (outer < 0 || n < 0 || inner < 0) {
            throw new IllegalArgumentException(op + ": negative size in (outer, n, inner) = ("
                    + outer + ", " + n + ", " + inner + ")");
        }
        return (long) outer * n * inner;
    }

    /** Checks the iteration shape (rank 0 to 8, no negative dimension) and returns the element count. */
    static long shape(String op, int[] shape) {
        if (shape == null || shape.length > 8) {
            throw new IllegalArgumentException(op + ": shape rank must be 0 to 8, got "
                    + (shape == null ? "null" : shape.length));
        }
        long count = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + Arrays.toString(shape));
            }
            count *= s;
        }
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape)
                    + " has more than 2^31 - 1 elements, more than one strided launch covers");
        }
        return count;
    }

    /** Checks a strided operand's rank, then that every position it reaches lies in the buffer. */
    static void strided(String op, String role, long offset, long[] strides, int[] shape, long length) {
        if (strides == null || strides.length != shape.length) {
            throw new IllegalArgumentException(op + ": " + role + " strides have rank "
                    + (strides == null ? "null" : strides.length) + " but the shape has rank " + shape.length);
        }
        for (int s : shape) {
            if (s == 0) {
                return;
            }
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
}
