package dev.sequor.backend.simd;

import dev.sequor.spi.Buffer;
import dev.sequor.spi.RecurrentDims;
import jdk.incubator.vector.FloatVector;

import static dev.sequor.backend.simd.GemmKernel.KC;
import static dev.sequor.backend.simd.GemmKernel.L;
import static dev.sequor.backend.simd.GemmKernel.NR;
import static dev.sequor.backend.simd.GemmKernel.S;

/**
 * What the whole-sequence LSTM and GRU kernels share: the split of the batch into row parts, the
 * recurrent weights packed once per sequence, argument checks, the backward's carry of dL/dh, and
 * the matrix of previous states for {@code dW_hh}. (The gate activations are VMath's whole-run forms.)
 *
 * <p>The forward packs {@code W_hh^T} with its columns permuted so that hidden block {@code jb}
 * (units {@code jb*NR .. jb*NR+NR}) holds its {@code G} gates side by side: panel {@code jb*G + g}
 * is gate {@code g} of that block, so the gate kernel reads the four (three) pre-activations of a
 * vector of units from one short stretch of the gate buffer.
 *
 * <p>Splitting by rows rather than by hidden units matters: two threads writing neighbouring column
 * blocks of the same rows (state, outputs, gates) shared cache lines at every block edge and ran
 * the LSTM forward several times slower than one thread.
 */
final class SimdRecurrent {

    private SimdRecurrent() {
    }

    /**
     * @return the row stride of a per-step operand of the recurrent GEMM with n columns: n plus one
     *         cache line, so the rows the micro-kernel reads side by side do not all fall into one
     *         L1 set when n is a multiple of 1024 floats (4 KiB aliasing)
     */
    static int rowStride(int n) {
        return n + 16;
    }

    /** Copies {@code rows} rows of n floats between row strides. */
    static void copyRows(float[] src, int so, int lds, float[] dst, int dO, int ldd, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, so + r * lds, dst, dO + r * ldd, n);
        }
    }

    /** @return H rounded up to whole blocks */
    static int paddedHidden(int h) {
        return (h + NR - 1) / NR * NR;
    }

    /** Rows of the batch one part runs through the whole sequence: two micro-kernel slivers. */
    static final int PART_ROWS = 2 * GemmKernel.MR;

    /**
     * @return how many parts the batch is split into. Sequences of a batch never interact, so a
     *         part runs its rows through every step with no barrier; parts of {@link #PART_ROWS}
     *         rows are claimed dynamically, so a core slowed by other processes takes fewer
     */
    static int parts(int batch, WorkerPool pool) {
        return pool.size() == 1 ? 1 : (batch + PART_ROWS - 1) / PART_ROWS;
    }

    static int rowStart(int part, int parts, int batch) {
        return part == parts ? batch : Math.min(batch, part * PART_ROWS);
    }

    /** Runs {@code task(r0, r1)} for every part's row range, in parallel. */
    static void forRowParts(WorkerPool pool, int batch, RowTask task) {
        int parts = parts(batch, pool);
        if (parts == 1) {
            task.run(0, batch);
            return;
        }
        pool.run(parts, p -> task.run(rowStart(p, parts, batch), rowStart(p + 1, parts, batch)));
    }

    /** A part: rows {@code [r0, r1)} of the batch through the whole sequence. */
    @FunctionalInterface
    interface RowTask {
        void run(int r0, int r1);
    }

    /**
     * Packs {@code W_hh^T} ({@code W_hh} is {@code (G*H, H)}, gate-major rows) as a {@code (H, G*Hp)}
     * right-hand matrix in {@link PackedB}'s order with block-interleaved columns (see the class
     * comment); padding units are zero.
     */
    static float[] packGateMajor(float[] w, int h, int gates, WorkerPool pool) {
        int hp = paddedHidden(h);
        int blocks = hp / NR;
        int panels = blocks * gates;
        float[] data = new float[(int) PackedB.size(h, gates * hp)];
        int parts = Math.min(panels, 4 * pool.size());
        WorkerPool.Task task = part -> {
            for (int j = panels * part / parts; j < panels * (part + 1) / parts; j++) {
                int jb = j / gates;
                int g = j % gates;
                for (int p0 = 0; p0 < h; p0 += KC) {
                    int kcb = Math.min(KC, h - p0);
                    // rows g*H + jb*NR .. of W_hh are columns of gate g's block jb in W_hh^T
                    PackedB.packPanel(w, g * h * h, h, true, h, p0, kcb, jb, data, p0 * panels * NR + j * kcb * NR);
                }
            }
        };
        pool.run(parts, task);
        return data;
    }

    /** Which packed form of a buffer: gate-major {@code W_hh^T} for H units and G gates. */
    record GateMajorKey(int h, int gates) {
    }

    /**
     * {@link #packGateMajor} of the weight in {@code wB}, reused while the buffer's values are
     * unchanged: the form is cached on the buffer at the version it was packed from, and any op
     * that may write the buffer bumps the version (see {@link SimdBuffer}).
     *
     * @return the packed weight (never written by the caller)
     */
    static float[] packedGateMajor(SimdBackend be, Buffer wB, int h, int gates, String op) {
        SimdBuffer sb = (SimdBuffer) wB;
        GateMajorKey key = new GateMajorKey(h, gates);
        float[] cached = sb.derived(key);
        if (cached != null) {
            return cached;
        }
        long version = sb.version();   // before reading: a write after it makes this form stale
        float[] w = be.arrRead(wB, op, "wHh");
        float[] packed = packGateMajor(w, h, gates, be.pool());
        sb.derive(key, version, packed);
        return packed;
    }

    /** {@link #array} for an operand the op only reads: its cached packed forms stay valid. */
    static float[] readArray(SimdBackend be, Buffer b, long n, String op, String what) {
        float[] a = be.arrRead(b, op, what);
        if (a.length < n) {
            throw new IllegalArgumentException(op + ": " + what + " has " + a.length + " floats, expected " + n);
        }
        return a;
    }

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    /** @return this thread's scratch of at least n floats (a part's GEMM output; never shared) */
    static float[] scratch(int n) {
        float[] s = SCRATCH.get();
        if (s.length < n) {
            s = new float[n];
            SCRATCH.set(s);
        }
        return s;
    }

    /** @return the array of {@code b}, checked to hold at least {@code n} floats (null stays null if allowed) */
    static float[] array(SimdBackend be, Buffer b, long n, String op, String what, boolean nullable) {
        if (b == null && nullable) {
            return null;
        }
        float[] a = be.arr(b, op, what);
        if (a.length < n) {
            throw new IllegalArgumentException(op + ": " + what + " has " + a.length + " floats, expected " + n);
        }
        return a;
    }

    /** Copies {@code (B, H)} rows of {@code src} (null: nothing) into {@code (B, Hp)} rows at {@code dst[off..]}. */
    static void toPadded(float[] src, int b, int h, float[] dst, int off, int hp) {
        if (src != null) {
            for (int r = 0; r < b; r++) {
                System.arraycopy(src, r * h, dst, off + r * hp, h);
            }
        }
    }

    /** Copies {@code (B, Hp)} rows at {@code src[off..]} into {@code (B, H)} rows of {@code dst} (null: nothing). */
    static void fromPadded(float[] src, int off, int hp, float[] dst, int b, int h) {
        if (dst != null) {
            for (int r = 0; r < b; r++) {
                System.arraycopy(src, off + r * hp, dst, r * h, h);
            }
        }
    }

    /**
     * The state each visited step started from, {@code (B, T, H)}: {@code h_{t-1}} (the output of
     * the previously visited step) where the row was active there, else {@code h0}. Positions where
     * a row is inactive get {@code h0} too; their gate gradients are 0, so they add nothing.
     * Written into {@code prev} (at least {@code B*T*H} floats), which is returned.
     */
    static float[] previousStates(RecurrentDims d, float[] out, float[] h0, float[] prev, WorkerPool pool) {
        int b = d.batch();
        int t = d.steps();
        int h = d.hidden();
        int parts = Math.min(b, 2 * pool.size());
        pool.run(parts, part -> {
            for (int r = b * part / parts; r < b * (part + 1) / parts; r++) {
                for (int s = 0; s < t; s++) {
                    int tt = d.time(s);
                    int dst = (r * t + tt) * h;
                    if (s > 0 && d.active(r, d.time(s - 1))) {
                        System.arraycopy(out, (r * t + d.time(s - 1)) * h, prev, dst, h);
                    } else {
                        System.arraycopy(h0, r * h, prev, dst, h);
                    }
                }
            }
        });
        return prev;
    }

    /**
     * Finishes dL/dh after a visited step for rows {@code [r0, r1)}, in the backward's per-step
     * slots of {@code gh} ({@code (B, Hp)} each): the slot at {@code dst} gets, for rows active at
     * the next visited time {@code tn}, the recurrent product {@code prod} ({@code (r1-r0, ldp)})
     * plus, for a GRU ({@code gates != null}), {@code (dh_tn + gradOut_tn) z_tn} with dh_tn the
     * slot after; rows inactive at tn copy the slot after unchanged.
     */
    static void carry(RecurrentDims d, int tn, int r0, int r1, int hp, float[] prod, int ldp, float[] gh, int dst,
                      float[] gradOut, float[] gates) {
        int b = d.batch();
        int h = d.hidden();
        int steps = d.steps();
        int next = dst + b * hp;
        for (int r = r0; r < r1; r++) {
            int row = r * hp;
            int pr = (r - r0) * ldp;
            if (!d.active(r, tn)) {
                System.arraycopy(gh, next + row, gh, dst + row, h);
                continue;
            }
            if (gates == null) {
                System.arraycopy(prod, pr, gh, dst + row, h);
                continue;
            }
            int so = (r * steps + tn) * h;
            int zo = (r * steps + tn) * 3 * h + h;
            int col = 0;
            for (; col + L <= h; col += L) {
                FloatVector dhT = FloatVector.fromArray(S, gh, next + row + col);
                if (gradOut != null) {
                    dhT = dhT.add(FloatVector.fromArray(S, gradOut, so + col));
                }
                dhT.fma(FloatVector.fromArray(S, gates, zo + col), FloatVector.fromArray(S, prod, pr + col))
                        .intoArray(gh, dst + row + col);
            }
            for (; col < h; col++) {
                float dhT = gh[next + row + col] + (gradOut != null ? gradOut[so + col] : 0f);
                gh[dst + row + col] = Math.fma(dhT, gates[zo + col], prod[pr + col]);
            }
        }
    }
}
