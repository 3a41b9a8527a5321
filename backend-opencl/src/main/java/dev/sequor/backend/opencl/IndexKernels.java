package dev.sequor.backend.opencl;

import dev.sequor.spi.Buffer;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * Index select / add and gather / scatter-add. Kernels record the first bad index in a two-int
 * device flag; the host reads it right after the launch and throws {@link IndexOutOfBoundsException}
 * naming the index and the bound. The adds check every index before writing anything, so a bad
 * index leaves {@code out} untouched, as in the reference backend. Reading the flag waits for the
 * device, which is the price of reporting the error from the call that caused it.
 */
final class IndexKernels implements AutoCloseable {

    private final OpenClBackend owner;
    private final ClRuntime rt;
    private final cl_mem err;

    IndexKernels(OpenClBackend owner, ClRuntime rt) {
        this.owner = owner;
        this.rt = rt;
        this.err = rt.allocate(2L * Sizeof.cl_int);
    }

    void select(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out) {
        String op = "indexSelect";
        cl_mem xm = Checks.mem(owner, op, "x", x);
        cl_mem im = Checks.mem(owner, op, "idx", idx);
        cl_mem om = Checks.mem(owner, op, "out", out);
        Checks.range(op, "x", 0, Checks.sizes(op, outer, n, inner), x.length());
        Checks.range(op, "idx", 0, Checks.sizes(op, 1, m, 1), idx.length());
        long count = (long) outer * m * inner;
        Checks.range(op, "out", 0, count, out.length());
        synchronized (rt) {
            checkAll(op, im, m, n);
            rt.launch1("index_select", count, xm, outer, n, inner, im, m, om, err);
        }
    }

    void add(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out) {
        String op = "indexAdd";
        cl_mem gm = Checks.mem(owner, op, "g", g);
        cl_mem im = Checks.mem(owner, op, "idx", idx);
        cl_mem om = Checks.mem(owner, op, "out", out);
        Checks.range(op, "g", 0, Checks.sizes(op, outer, m, inner), g.length());
        Checks.range(op, "idx", 0, m, idx.length());
        Checks.range(op, "out", 0, Checks.sizes(op, outer, n, inner), out.length());
        synchronized (rt) {
            checkAll(op, im, m, n);
            rt.launch1("index_add", (long) outer * inner, gm, outer, m, inner, im, n, om, err);
        }
    }

    void gather(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out) {
        String op = "gather";
        cl_mem xm = Checks.mem(owner, op, "x", x);
        cl_mem im = Checks.mem(owner, op, "idx", idx);
        cl_mem om = Checks.mem(owner, op, "out", out);
        Checks.range(op, "x", 0, Checks.sizes(op, outer, n, inner), x.length());
        long count = Checks.sizes(op, outer, m, inner);
        Checks.range(op, "idx", 0, count, idx.length());
        Checks.range(op, "out", 0, count, out.length());
        synchronized (rt) {
            checkAll(op, im, count, n);
            rt.launch1("gather_kernel", count, xm, outer, n, inner, im, m, om, err);
        }
    }

    void scatterAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out) {
        String op = "scatterAdd";
        cl_mem gm = Checks.mem(owner, op, "g", g);
        cl_mem im = Checks.mem(owner, op, "idx", idx);
        cl_mem om = Checks.mem(owner, op, "out", out);
        long count = Checks.sizes(op, outer, m, inner);
        Checks.range(op, "g", 0, count, g.length());
        Checks.range(op, "idx", 0, count, idx.length());
        Checks.range(op, "out", 0, Checks.sizes(op, outer, n, inner), out.length());
        synchronized (rt) {
            checkAll(op, im, count, n);
            rt.launch1("scatter_add", (long) outer * inner, gm, outer, m, inner, im, n, om, err);
        }
    }

    /** Checks class ids {@code targets[0..rows)} that are not {@code ignoreIndex} against {@code [0, classes)}. */
    void checkTargets(String op, cl_mem targets, int rows, int classes, int ignoreIndex) {
        synchronized (rt) {
            rt.launch1("check_targets", rows, targets, rows, classes, (float) ignoreIndex, err);
            throwIfFlagged(op, classes);
        }
    }

    /** Checks {@code idx[0..count)} against {@code [0, bound)} on the device; throws on the first bad one. */
    private void checkAll(String op, cl_mem idx, long count, int bound) {
        if (count == 0) {
            return;
        }
        rt.launch1("check_indices", count, idx, count, bound, err);
        throwIfFlagged(op, bound);
    }

    private void throwIfFlagged(String op, int bound) {
        int[] flag = new int[2];
        CL.clEnqueueReadBuffer(rt.queue, err, true, 0, 2L * Sizeof.cl_int, Pointer.to(flag), 0, null, null);
        if (flag[0] != 0) {
            rt.fill(err, 0, 2, 0f);
            float v = Float.intBitsToFloat(flag[1]);
            String shown = v == Math.rint(v) && !Float.isInfinite(v) ? Long.toString((long) v) : Float.toString(v);
            throw new IndexOutOfBoundsException(op + ": index " + shown + " out of range [0, " + bound + ")");
        }
    }

    @Override
    public void close() {
        rt.release(err, 2L * Sizeof.cl_int);
    }
}
