package dev.sequor.backend.opencl;

import dev.sequor.spi.AttentionBias;
import dev.sequor.spi.AttentionSpec;
import dev.sequor.spi.Buffer;
import org.jocl.cl_mem;

/**
 * Fused scaled-dot-product attention on the device ({@code attention.cl}), in FlashAttention's manner:
 * the forward streams over key blocks with an online softmax and saves only the per-row
 * log-sum-exp; the backward rebuilds {@code p_ij = e^(s_ij - lse_i)} pair by pair, one launch per query
 * row for {@code dQ} (and {@code D_i = g_i . o_i}) and one per key row for {@code dK} and {@code dV}.
 * Memory beyond the operands is {@code B*H*L} floats ({@code D}), so it is linear in the sequence
 * length. Dropout draws {@code CounterRng.uniform(seed, (bh*L + i)*S + j)}, as the SPI states.
 *
 * <p>A window ({@link AttentionSpec#windowLeft}, {@link AttentionSpec#windowRight}) bounds every loop:
 * query {@code i} runs only over keys {@code [keyStart(i), keyEnd(i))} and key {@code j} only over the
 * queries that see it, so a windowed call costs {@code O(B H L (left + right + 1) E)}, not
 * {@code O(B H L S E)}, and scores outside the window are never formed.
 *
 * <p>Heads wider than {@link #MAX_DIM} ({@code E} or {@code Ev}; the rows live in private memory) are
 * not taken: {@link #supports} says so and the backend runs the SPI default.
 */
final class AttentionKernels {

    /** The widest head the kernels hold in private memory ({@code ATT_MAXD} in attention.cl). */
    static final int MAX_DIM = 128;

    private final OpenClBackend owner;
    private final ClRuntime rt;

    AttentionKernels(OpenClBackend owner, ClRuntime rt) {
        this.owner = owner;
        this.rt = rt;
    }

    /** @return whether these kernels run {@code spec}, windowed or not (both widths at most {@link #MAX_DIM}) */
    static boolean supports(AttentionSpec spec) {
        return spec.headDim() <= MAX_DIM && spec.valueDim() <= MAX_DIM;
    }

    /**
     * The window sides as the kernels take them: {@code left <= S} and {@code right <= L}. A wider side
     * hides nothing (the aligned key {@code i + S - L} lies in {@code [S - L, S - 1]}), so clamping
     * {@link AttentionSpec#UNBOUNDED} there keeps the meaning and keeps {@code i + off +- w} in range.
     */
    private static int[] window(AttentionSpec sp) {
        return new int[] {Math.min(sp.windowLeft(), sp.keys()), Math.min(sp.windowRight(), sp.queries())};
    }

    void forward(AttentionSpec sp, Buffer q, Buffer k, Buffer v, AttentionBias bias, Buffer out, Buffer lse) {
        String op = "attentionForward";
        long bh = sp.problems();
        cl_mem qm = input(op, "q", q, bh * sp.queries() * sp.headDim());
        cl_mem km = input(op, "k", k, bh * sp.keys() * sp.headDim());
        cl_mem vm = input(op, "v", v, bh * sp.keys() * sp.valueDim());
        cl_mem om = input(op, "out", out, bh * sp.queries() * sp.valueDim());
        cl_mem lm = input(op, "lse", lse, bh * sp.queries());
        cl_mem biasMem = bias == null ? qm : biasMem(op, sp, bias);
        int[] w = window(sp);
        rt.launch1("attn_fwd", bh * sp.queries(), qm, km, vm, biasMem, bias == null ? 0 : 1, strides(bias),
                sp.problems(), sp.heads(), sp.queries(), sp.keys(), sp.headDim(), sp.valueDim(), sp.scale(),
                sp.causal() ? 1 : 0, w[0], w[1], sp.dropout(), sp.seed(), om, lm);
    }

    void backward(AttentionSpec sp, Buffer q, Buffer k, Buffer v, AttentionBias bias, Buffer out, Buffer lse,
                  Buffer gradOut, Buffer gradQ, Buffer gradK, Buffer gradV) {
        String op = "attentionBackward";
        long bh = sp.problems();
        long rowsQ = bh * sp.queries();
        cl_mem qm = input(op, "q", q, rowsQ * sp.headDim());
        cl_mem km = input(op, "k", k, bh * sp.keys() * sp.headDim());
        cl_mem vm = input(op, "v", v, bh * sp.keys() * sp.valueDim());
        cl_mem om = input(op, "out", out, rowsQ * sp.valueDim());
        cl_mem lm = input(op, "lse", lse, rowsQ);
        cl_mem gom = input(op, "gradOut", gradOut, rowsQ * sp.valueDim());
        cl_mem gqm = input(op, "gradQ", gradQ, rowsQ * sp.headDim());
        cl_mem gkm = input(op, "gradK", gradK, bh * sp.keys() * sp.headDim());
        cl_mem gvm = input(op, "gradV", gradV, bh * sp.keys() * sp.valueDim());
        cl_mem biasMem = bias == null ? qm : biasMem(op, sp, bias);
        int hasBias = bias == null ? 0 : 1;
        long[] bs = strides(bias);
        int causal = sp.causal() ? 1 : 0;
        int[] w = window(sp);
        try (Buffer rowDot = owner.allocate(rowsQ)) {
            cl_mem dm = Checks.mem(owner, op, "rowDot", rowDot);
            synchronized (rt) {
                rt.launch1("attn_bwd_dq", rowsQ, qm, km, vm, biasMem, hasBias, bs, sp.problems(), sp.heads(),
                        sp.queries(), sp.keys(), sp.headDim(), sp.valueDim(), sp.scale(), causal, w[0], w[1],
                        sp.dropout(), sp.seed(), om, lm, gom, dm, gqm);
                rt.launch1("attn_bwd_dkv", bh * sp.keys(), qm, km, vm, biasMem, hasBias, bs, sp.problems(),
                        sp.heads(), sp.queries(), sp.keys(), sp.headDim(), sp.valueDim(), sp.scale(), causal,
                        w[0], w[1], sp.dropout(), sp.seed(), lm, dm, gom, gkm, gvm);
            }
        }
    }

    /** @return the bias strides over (batch, heads, queries, keys) as the kernels' {@code long4}; zeros for none */
    private static long[] strides(AttentionBias bias) {
        return bias == null ? new long[4] : bias.strides();
    }

    /** Checks that every element the strides reach over {@code (B, H, L, S)} lies in the bias buffer. */
    private cl_mem biasMem(String op, AttentionSpec sp, AttentionBias bias) {
        cl_mem m = Checks.mem(owner, op, "bias", bias.buffer());
        Checks.strided(op, "bias", 0, bias.strides(), new int[] {sp.batch(), sp.heads(), sp.queries(), sp.keys()},
                bias.buffer().length());
        return m;
    }

    private cl_mem input(String op, String role, Buffer b, long n) {
        cl_mem m = Checks.mem(owner, op, role, b);
        Checks.range(op, role, 0, n, b.length());
        return m;
    }
}
