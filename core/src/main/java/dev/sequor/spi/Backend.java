package dev.sequor.spi;

/**
 * The one contract between Sequor's maths and the hardware. A backend moves float32 data and runs
 * a small set of primitives on it; everything else (autograd, layers, optimizers) is written once
 * above this interface, in {@code core}, from these methods. Backends never implement autograd.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>All data is float32 in {@link Buffer}s allocated by this backend. Offsets, lengths and
 *       strides are in elements. Index inputs (gather, cross-entropy targets) are floats holding
 *       exact integers (exact up to 2^24).</li>
 *   <li>"Contiguous {@code (outer, n, inner)}" means element {@code (o, j, i)} is at
 *       {@code (o * n + j) * inner + i}; any axis of a row-major tensor can be viewed so.</li>
 *   <li>Strided arguments: element with multi-index {@code idx} of an operand is at
 *       {@code offset + sum_d idx[d] * strides[d]}; a stride of 0 broadcasts that dimension.
 *       Output buffers are always dense row-major over {@code shape} unless strides are given.</li>
 *   <li>Outputs may alias inputs only where a method says so (elementwise ops allow
 *       {@code out == x} with equal offsets, for in-place updates).</li>
 *   <li>Methods validate what is cheap (buffer ownership, bounds) and throw
 *       {@link IllegalArgumentException} naming the op; shape logic is checked by callers.</li>
 *   <li>Thread-safety: a backend may be called from several threads at once as long as no two
 *       calls write the same buffer; the calls then behave as if run one after the other.</li>
 *   <li>Asynchronous backends may queue work; {@link #download} and {@link #synchronize} wait for
 *       everything queued before them.</li>
 * </ul>
 *
 * <h2>Two tiers</h2>
 * Primitives (abstract here) every backend implements. Fused kernels (default methods, near the
 * end) are written once from primitives in {@code core}; a backend overrides them for speed, and
 * the conformance kit checks that an override means exactly what the default means.
 */
public interface Backend extends AutoCloseable {

    // ---------------------------------------------------------------- identity and memory

    /** @return the provider name this backend was created by, e.g. {@code "reference"} */
    String name();

    /** @return one line describing the device (lanes, threads, device name) for users */
    String description();

    /**
     * Allocates {@code length} floats, zero-filled.
     *
     * @throws IllegalArgumentException if {@code length < 0}
     * @throws OutOfMemoryError         (or a subclass) when the device is full
     */
    Buffer allocate(long length);

    /**
     * The most floats one buffer of this backend can hold, so that a tensor too large for it is
     * refused up front with its shape ({@code IllegalArgumentException}) rather than by an
     * {@code OutOfMemoryError} from {@link #allocate}. Thread-safe; constant for the backend's life.
     *
     * @return the largest {@code length} {@link #allocate} accepts ({@code Long.MAX_VALUE} when the
     *         only limit is the memory free at the time)
     */
    default long maxBufferLength() {
        return Long.MAX_VALUE;
    }

    /** Copies {@code n} floats from {@code src[srcOffset..]} on the host into {@code dst[dstOffset..]}. */
    void upload(float[] src, int srcOffset, Buffer dst, long dstOffset, int n);

    /** Copies {@code n} floats from {@code src[srcOffset..]} into the host array {@code dst[dstOffset..]}. */
    void download(Buffer src, long srcOffset, float[] dst, int dstOffset, int n);

    /** {@code dst[dstOffset + i] = src[srcOffset + i]} for {@code i < n}; the ranges may overlap only if equal. */
    void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long n);

    /** {@code dst[offset + i] = value} for {@code i < n}. */
    void fill(Buffer dst, long offset, long n, float value);

    /**
     * The movement primitive: for every multi-index {@code idx} over {@code shape},
     * {@code dst[dstOffset + sum idx[d]*dstStrides[d]] = src[srcOffset + sum idx[d]*srcStrides[d]]}.
     * Covers transpose/permute (permuted source strides), slice and narrow (source offset), concat
     * and slice-assignment (destination offset and strides) and broadcast expansion (stride 0 in the
     * source). Destination positions must be distinct; src and dst must not overlap.
     *
     * @param shape      the iteration shape, rank 0 to 8; all three arrays have its length
     */
    void copyStrided(Buffer src, long srcOffset, long[] srcStrides,
                     Buffer dst, long dstOffset, long[] dstStrides, int[] shape);

    /** Waits until all queued work on this backend is done. A no-op on synchronous backends. */
    void synchronize();

    /** @return how many buffers this backend has allocated and not yet freed (for leak tests) */
    long liveBuffers();

    /** Releases the backend's threads, queues and contexts. Buffers must not be used afterwards. */
    @Override
    void close();

    // ---------------------------------------------------------------- compute primitives

    /**
     * Batched strided matrix product: for each {@code b < batch},
     * {@code C_b = alpha * op(A_b) * op(B_b) + beta * C_b} with {@code op(A_b)} of shape
     * {@code (m, k)}, {@code op(B_b)} of shape {@code (k, n)} and {@code C_b} of shape {@code (m, n)}.
     * {@code op(X) = X^T} when the flag is set: then the stored matrix is {@code (k, m)} for A and
     * {@code (n, k)} for B, read through its own {@code ld}. When {@code beta == 0}, C is not read
     * (NaN in C does not propagate). C must not overlap A or B. {@code k == 0} gives
     * {@code beta * C}.
     */
    void gemm(boolean transA, boolean transB, int batch, int m, int n, int k,
              float alpha, MatrixView a, MatrixView b, float beta, MatrixView c);

    /** {@code out[outOffset + i] = op(x[xOffset + i])} for {@code i < n}; {@code out == x} allowed. */
    void unary(UnaryOp op, Buffer x, long xOffset, Buffer out, long outOffset, long n);

    /**
     * Broadcasting binary op: for every multi-index {@code idx} over {@code shape} (rank 0 to 8),
     * {@code out[dense(idx)] = a[sum idx[d]*aStrides[d]] op b[sum idx[d]*bStrides[d]]}, where
     * {@code dense} is the row-major position in {@code shape}. A stride of 0 broadcasts.
     * {@code out} may be {@code a} or {@code b} when that operand is dense over {@code shape}.
     */
    void binary(BinaryOp op, Buffer a, long[] aStrides, Buffer b, long[] bStrides,
                Buffer out, int[] shape);

    /** {@code out[i] = x[i] op s} for {@code i < n} (dense); {@code out == x} allowed. */
    void scalar(BinaryOp op, Buffer x, float s, Buffer out, long n);

    /** {@code out[i] = alpha * x[i] + beta} for {@code i < n} (dense); {@code out == x} allowed. */
    void affine(Buffer x, float alpha, float beta, Buffer out, long n);

    /**
     * Select: {@code out[dense(idx)] = cond[..] != 0 ? a[..] : b[..]} over {@code shape}, each
     * operand read through its strides (0 to broadcast). Masked fill is {@code where(mask, value, x)}
     * with the value in a one-element buffer read at stride 0. NaN in {@code cond} counts as true.
     */
    void where(Buffer cond, long[] condStrides, Buffer a, long[] aStrides, Buffer b, long[] bStrides,
               Buffer out, int[] shape);

    /**
     * Reduction along the middle axis of a contiguous {@code (outer, n, inner)} input:
     * {@code out[o * inner + i] = R_{j<n} x[(o*n + j)*inner + i]}. See {@link ReduceOp}.
     */
    void reduce(ReduceOp op, Buffer x, int outer, int n, int inner, Buffer out);

    /**
     * Softmax along the middle axis of a contiguous {@code (outer, n, inner)} input:
     * {@code y_j = e^(x_j - m) / sum_k e^(x_k - m)} with {@code m = max_k x_k}, or
     * {@code log} of it ({@code x_j - logsumexp(x)}) when {@code log} is set. Exact for large
     * magnitudes; a row of all -Inf gives NaN, as in PyTorch.
     */
    void softmax(Buffer x, int outer, int n, int inner, boolean log, Buffer y);

    /**
     * Softmax backward along the middle axis, given the forward output {@code y} and the upstream
     * gradient {@code gy}: {@code gx_j = y_j (gy_j - sum_k gy_k y_k)}, or for log-softmax
     * {@code gx_j = gy_j - e^(y_j) sum_k gy_k}.
     */
    void softmaxBackward(Buffer y, Buffer gy, int outer, int n, int inner, boolean log, Buffer gx);

    /**
     * Index select along the middle axis of {@code x}, contiguous {@code (outer, n, inner)}:
     * {@code out[(o*m + j)*inner + i] = x[(o*n + idx[j])*inner + i]} for {@code j < m}.
     * An embedding lookup is {@code outer = 1}, {@code inner = dim}.
     *
     * @throws IndexOutOfBoundsException naming the index and the bound, if {@code idx[j]} is not in
     *         {@code [0, n)} (backends may check lazily, but must check)
     */
    void indexSelect(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out);

    /**
     * The adjoint of {@link #indexSelect}: {@code out[(o*n + idx[j])*inner + i] += g[(o*m + j)*inner + i]},
     * accumulating where indices repeat (an embedding's weight gradient). {@code out} is not cleared.
     */
    void indexAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out);

    /**
     * Gather along the middle axis with per-element indices (torch.gather):
     * {@code out[(o*m + j)*inner + i] = x[(o*n + idx[(o*m + j)*inner + i])*inner + i]}.
     */
    void gather(Buffer x, int outer, int n, int inner, Buffer idx, int m, Buffer out);

    /**
     * The adjoint of {@link #gather} (torch.scatter_add_):
     * {@code out[(o*n + idx[p])*inner + i] += g[p]} for {@code p = (o*m + j)*inner + i}.
     */
    void scatterAdd(Buffer g, int outer, int m, int inner, Buffer idx, int n, Buffer out);

    /**
     * Fills {@code out[offset .. offset+n)} with draws from {@code kind}; element {@code offset + i}
     * uses counter {@code i} (see {@link CounterRng}), so results do not depend on the backend.
     */
    void randomFill(Buffer out, long offset, long n, RandomKind kind, float a, float b, long seed);

    // ---------------------------------------------------------------- fused kernels (defaults in core)
    // Each fused kernel is a default method that delegates to a class in dev.sequor.spi.defaults
    // written from the primitives above. Backends override them for speed only.

    /**
     * Fused scaled-dot-product attention, forward (Vaswani et al. 2017, eq. 1). For every problem
     * {@code bh < batch*heads} and query {@code i < L}, with the key set
     * {@code J_i = { j < S : bias(b,h,i,j) != -Inf and (not causal or j <= i + S - L) }}:
     * <pre>
     *   s_ij = scale * (q_i . k_j) + bias(b, h, i, j)            for j in J_i
     *   lse_i = log sum_{j in J_i} exp(s_ij)                      (-Inf when J_i is empty)
     *   p_ij  = exp(s_ij - lse_i) for j in J_i, else 0           (a fully masked row is all zeros)
     *   d_ij  = keep(bh, i, j) / (1 - dropout)                    (1 when dropout = 0)
     *   o_i   = sum_j p_ij d_ij v_j                               (0 for a fully masked row)
     * </pre>
     * {@code lse} is the saved state for {@link #attentionBackward}: with it, a backward pass rebuilds
     * {@code p} one block of rows at a time, so an override may stream over keys with an online softmax
     * (running max {@code m} and sum {@code l}, rescaling partial {@code o} by {@code e^(m_old - m_new)}, as
     * FlashAttention) and never hold more than one row block of scores.
     *
     * @param spec     sizes and options; buffer layouts are described there
     * @param q        {@code (B*H, L, E)}
     * @param k        {@code (B*H, S, E)}
     * @param v        {@code (B*H, S, Ev)}
     * @param bias     additive bias (may be null for none)
     * @param out      receives {@code o}, {@code (B*H, L, Ev)}
     * @param lse      receives the per-row log-sum-exp, {@code (B*H, L)}
     */
    default void attentionForward(AttentionSpec spec, Buffer q, Buffer k, Buffer v, AttentionBias bias,
                                  Buffer out, Buffer lse) {
        dev.sequor.spi.defaults.AttentionDefault.forward(this, spec, q, k, v, bias, out, lse);
    }

    /**
     * Fused scaled-dot-product attention, backward. Given the forward's inputs, its output {@code o},
     * its saved {@code lse} and the output gradient {@code g = dL/do}, rebuilds {@code p} and {@code d}
     * as in {@link #attentionForward} and writes (overwrites) the input gradients:
     * <pre>
     *   dv_j  = sum_i p_ij d_ij g_i
     *   dp_ij = d_ij (g_i . v_j)
     *   D_i   = g_i . o_i            (= sum_j p_ij dp_ij)
     *   ds_ij = p_ij (dp_ij - D_i)
     *   dq_i  = scale * sum_j ds_ij k_j
     *   dk_j  = scale * sum_i ds_ij q_i
     * </pre>
     * Fully masked rows contribute nothing. The bias gets no gradient.
     *
     * @param gradOut {@code (B*H, L, Ev)}
     * @param gradQ   receives {@code (B*H, L, E)}
     * @param gradK   receives {@code (B*H, S, E)}
     * @param gradV   receives {@code (B*H, S, Ev)}
     */
    default void attentionBackward(AttentionSpec spec, Buffer q, Buffer k, Buffer v, AttentionBias bias,
                                   Buffer out, Buffer lse, Buffer gradOut,
                                   Buffer gradQ, Buffer gradK, Buffer gradV) {
        dev.sequor.spi.defaults.AttentionDefault.backward(this, spec, q, k, v, bias, out, lse, gradOut,
                gradQ, gradK, gradV);
    }

    /**
     * Softmax cross-entropy over the rows of {@code logits}, contiguous {@code (rows, classes)}, with
     * float class ids {@code targets (rows)} and label smoothing {@code eps} in {@code [0, 1]}:
     * <pre>
     *   logProbs[r, c] = x[r, c] - log sum_k e^(x[r, k])                         (stable, as softmax)
     *   loss[r] = -(1 - eps) logProbs[r, t_r] - (eps / C) sum_c logProbs[r, c]   if t_r != ignoreIndex
     *   loss[r] = 0                                                           if t_r == ignoreIndex
     * </pre>
     * Writes {@code loss (rows)} and {@code logProbs (rows, classes)} (kept for the backward). An
     * ignored row's loss is 0 even if its logits are not finite, as in PyTorch. Reductions (mean
     * over non-ignored rows) are the caller's. Targets other than {@code ignoreIndex} must be exact
     * integers in {@code [0, classes)}: callers check this (backends may check lazily).
     */
    default void crossEntropyForward(Buffer logits, Buffer targets, int rows, int classes, int ignoreIndex,
                                     float labelSmoothing, Buffer loss, Buffer logProbs) {
        dev.sequor.spi.defaults.CrossEntropyDefault.forward(this, logits, targets, rows, classes, ignoreIndex,
                labelSmoothing, loss, logProbs);
    }

    /**
     * The gradient of {@link #crossEntropyForward} with respect to the logits, given the saved
     * {@code logProbs (rows, classes)} and the upstream gradient of each row's loss {@code gradLoss (rows)}:
     * <pre>
     *   gradLogits[r, c] = gradLoss[r] * (e^(logProbs[r, c]) - (1 - eps) [c == t_r] - eps / C)   if t_r != ignoreIndex
     *   gradLogits[r, c] = 0                                                                 if t_r == ignoreIndex
     * </pre>
     * ({@code gradLoss[r] * 0} for an ignored row, so a non-finite saved row stays non-finite, as in
     * PyTorch.) Overwrites {@code gradLogits (rows, classes)}; it may not alias {@code logProbs}.
     */
    default void crossEntropyBackward(Buffer logProbs, Buffer targets, Buffer gradLoss, int rows, int classes,
                                      int ignoreIndex, float labelSmoothing, Buffer gradLogits) {
        dev.sequor.spi.defaults.CrossEntropyDefault.backward(this, logProbs, targets, gradLoss, rows, classes,
                ignoreIndex, labelSmoothing, gradLogits);
    }

    /**
     * Layer normalization (Ba, Kiros and Hinton, 2016) over each row of {@code x}, contiguous
     * {@code (rows, cols)}:
     * <pre>
     *   mu_r = (1/H) sum_j x[r, j]      sigma_r^2 = (1/H) sum_j (x[r, j] - mu_r)^2     (biased, H = cols)
     *   rstd_r = 1 / sqrt(sigma_r^2 + eps)
     *   y[r, j] = (x[r, j] - mu_r) * rstd_r * gamma[j] + beta[j]
     * </pre>
     * {@code gamma (cols)} and {@code beta (cols)} may each be null (then 1 and 0). Writes
     * {@code y (rows, cols)}, {@code mean (rows)} and {@code rstd (rows)} (kept for the backward).
     */
    default void layerNormForward(Buffer x, Buffer gamma, Buffer beta, int rows, int cols, float eps,
                                  Buffer y, Buffer mean, Buffer rstd) {
        dev.sequor.spi.defaults.LayerNormDefault.forward(this, x, gamma, beta, rows, cols, eps, y, mean, rstd);
    }

    /**
     * The gradients of {@link #layerNormForward} given the upstream gradient {@code gy (rows, cols)}
     * and the saved {@code mean (rows)}, {@code rstd (rows)}. With {@code xhat = (x - mu) * rstd}
     * and {@code g = gy * gamma} ({@code gamma} null means 1):
     * <pre>
     *   gx[r, j]  = rstd_r * (g[r, j] - (1/H) sum_k g[r, k] - xhat[r, j] (1/H) sum_k g[r, k] xhat[r, k])
     *   gGamma[j] = sum_r gy[r, j] xhat[r, j]          gBeta[j] = sum_r gy[r, j]
     * </pre>
     * Each output is overwritten (not accumulated) and may be null when not wanted: {@code gx (rows, cols)},
     * {@code gGamma (cols)}, {@code gBeta (cols)}.
     */
    default void layerNormBackward(Buffer gy, Buffer x, Buffer mean, Buffer rstd, Buffer gamma, int rows, int cols,
                                   Buffer gx, Buffer gGamma, Buffer gBeta) {
        dev.sequor.spi.defaults.LayerNormDefault.backward(this, gy, x, mean, rstd, gamma, rows, cols, gx, gGamma, gBeta);
    }

    // ---- recurrent sequences: one layer direction over all time steps (see RecurrentDims)
    //
    // Shared contract of the six methods below. B = d.batch(), T = d.steps(), H = d.hidden().
    // The caller has already applied the input projection for all steps as one GEMM:
    // xProj = x W_ih^T + biases, shape (B, T, G*H) with G gates in PyTorch's order. Every buffer is
    // dense row-major from offset 0 with exactly the stated size. Inactive positions (t >= lengths[b])
    // of out and of the saved buffers are written as 0. The forward writes everything the backward
    // needs into the "saved" buffers, so the backward recomputes nothing but tanh(c_t). Gradient
    // inputs named gradOut/gradHN/gradCN may be null (meaning zero); gradH0/gradC0 outputs may be
    // null (not wanted). Every gradient output is overwritten, never accumulated into. No buffer may
    // alias another. Backends may override for speed (e.g. packing W_hh once per sequence), always
    // forward and backward TOGETHER: the saved buffers have the stated sizes, and the contents the
    // defaults describe, but an override may store anything there that its own backward reads (the
    // conformance kit checks outputs and gradients, never saved contents). Callers pass the saved
    // buffers from a backend's forward only to the same backend's backward.

    /**
     * LSTM forward over one direction (Hochreiter and Schmidhuber 1997, PyTorch's gate order i, f, g, o).
     * For each visited time t, from the state {@code (h, c)} carried from the previously visited
     * step (initially {@code (h0, c0)}):
     * <pre>
     *   a_t = xProj[:, t, :] + h W_hh^T                     (B, 4H), split as [a_i, a_f, a_g, a_o]
     *   i = sigmoid(a_i)  f = sigmoid(a_f)  g = tanh(a_g)  o = sigmoid(a_o)
     *   c_t = f * c + i * g        h_t = o * tanh(c_t)
     * </pre>
     * Rows inactive at t keep their state; their outputs and saved values are 0.
     *
     * @param xProj  (B, T, 4H) input projections {@code x W_ih^T + b_ih + b_hh}
     * @param wHh    (4H, H) recurrent weights, rows in gate order i, f, g, o
     * @param h0     (B, H) initial hidden state
     * @param c0     (B, H) initial cell state
     * @param out    (B, T, H) written: h_t
     * @param hN     (B, H) written: the final hidden state of each sequence (its own last step)
     * @param cN     (B, H) written: the final cell state
     * @param gates  (B, T, 4H) written, saved for backward: the activated gates [i, f, g, o]
     * @param cells  (B, T, H) written, saved for backward: c_t
     */
    default void lstmSequenceForward(RecurrentDims d, Buffer xProj, Buffer wHh, Buffer h0, Buffer c0,
                                     Buffer out, Buffer hN, Buffer cN, Buffer gates, Buffer cells) {
        dev.sequor.spi.defaults.LstmDefault.forward(this, d, xProj, wHh, h0, c0, out, hN, cN, gates, cells);
    }

    /**
     * LSTM backward over one direction: given the forward's inputs, outputs and saved buffers and the
     * gradients of {@code out}, {@code hN}, {@code cN}, computes, visiting steps in reverse order
     * with carried gradients {@code (dh, dc)} (initially {@code (gradHN, gradCN)}):
     * <pre>
     *   dh_t = dh + gradOut[:, t, :]          dc_t = dc + dh_t * o * (1 - tanh^2 c_t)
     *   da_i = dc_t * g * i(1-i)   da_f = dc_t * c_{t-1} * f(1-f)   da_g = dc_t * i * (1-g^2)
     *   da_o = dh_t * tanh(c_t) * o(1-o)
     *   dh = da_t W_hh    dc = dc_t * f        (rows inactive at t pass dh, dc through unchanged)
     *   dW_hh = sum_t da_t^T h_{t-1}           (one GEMM over all B*T rows at the end)
     * </pre>
     *
     * @param gradXProj (B, T, 4H) written: da_t, the gradient of xProj (and, summed, of both biases)
     * @param gradWhh   (4H, H) written: dW_hh
     * @param gradH0    (B, H) written (or null): the gradient of h0
     * @param gradC0    (B, H) written (or null): the gradient of c0
     */
    default void lstmSequenceBackward(RecurrentDims d, Buffer wHh, Buffer h0, Buffer c0, Buffer out,
                                      Buffer gates, Buffer cells, Buffer gradOut, Buffer gradHN, Buffer gradCN,
                                      Buffer gradXProj, Buffer gradWhh, Buffer gradH0, Buffer gradC0) {
        dev.sequor.spi.defaults.LstmDefault.backward(this, d, wHh, h0, c0, out, gates, cells, gradOut, gradHN,
                gradCN, gradXProj, gradWhh, gradH0, gradC0);
    }

    /**
     * GRU forward over one direction (Cho et al. 2014 with PyTorch/cuDNN's placement of the reset
     * gate, gate order r, z, n). For each visited t from the carried state h (initially h0):
     * <pre>
     *   p_t = h W_hh^T + b_hh                      (B, 3H), split as [p_r, p_z, p_n]
     *   r = sigmoid(x_r + p_r)   z = sigmoid(x_z + p_z)   n = tanh(x_n + r * p_n)
     *   h_t = (1 - z) * n + z * h
     * </pre>
     * where {@code [x_r, x_z, x_n] = xProj[:, t, :]}.
     *
     * @param xProj   (B, T, 3H) input projections {@code x W_ih^T + b_ih} (b_hh is NOT folded in)
     * @param wHh     (3H, H) recurrent weights, rows in gate order r, z, n
     * @param bHh     (3H) recurrent bias
     * @param h0      (B, H) initial state
     * @param out     (B, T, H) written: h_t
     * @param hN      (B, H) written: the final state of each sequence
     * @param gates   (B, T, 3H) written, saved for backward: [r, z, n]
     * @param hiddenN (B, T, H) written, saved for backward: p_n = h W_hn^T + b_hn
     */
    default void gruSequenceForward(RecurrentDims d, Buffer xProj, Buffer wHh, Buffer bHh, Buffer h0,
                                    Buffer out, Buffer hN, Buffer gates, Buffer hiddenN) {
        dev.sequor.spi.defaults.GruDefault.forward(this, d, xProj, wHh, bHh, h0, out, hN, gates, hiddenN);
    }

    /**
     * GRU backward over one direction, steps visited in reverse with carried dh (initially gradHN):
     * <pre>
     *   dh_t = dh + gradOut[:, t, :]
     *   da_n = dh_t (1-z)(1-n^2)   da_z = dh_t (h_{t-1} - n) z(1-z)   da_r = da_n p_n r(1-r)
     *   dp_t = [da_r, da_z, da_n * r]                  (gradient of p_t)
     *   dh = dp_t W_hh + dh_t * z                       (inactive rows pass dh through)
     *   dW_hh = sum_t dp_t^T h_{t-1}    db_hh = sum_t sum_b dp_t
     * </pre>
     *
     * @param gradXProj (B, T, 3H) written: [da_r, da_z, da_n], the gradient of xProj (and of b_ih)
     * @param gradWhh   (3H, H) written
     * @param gradBhh   (3H) written
     * @param gradH0    (B, H) written (or null)
     */
    default void gruSequenceBackward(RecurrentDims d, Buffer wHh, Buffer h0, Buffer out, Buffer gates,
                                     Buffer hiddenN, Buffer gradOut, Buffer gradHN, Buffer gradXProj,
                                     Buffer gradWhh, Buffer gradBhh, Buffer gradH0) {
        dev.sequor.spi.defaults.GruDefault.backward(this, d, wHh, h0, out, gates, hiddenN, gradOut, gradHN,
                gradXProj, gradWhh, gradBhh, gradH0);
    }

    /**
     * Elman RNN forward over one direction: {@code h_t = act(xProj[:, t, :] + h W_hh^T)} from the
     * carried state h (initially h0). Nothing beyond {@code out} is saved: the derivative is taken
     * from h_t.
     *
     * @param xProj (B, T, H) input projections {@code x W_ih^T + b_ih + b_hh}
     * @param wHh   (H, H)
     * @param h0    (B, H)
     * @param out   (B, T, H) written: h_t
     * @param hN    (B, H) written: each sequence's final state
     */
    default void rnnSequenceForward(RecurrentDims d, RnnActivation act, Buffer xProj, Buffer wHh, Buffer h0,
                                    Buffer out, Buffer hN) {
        dev.sequor.spi.defaults.RnnDefault.forward(this, d, act, xProj, wHh, h0, out, hN);
    }

    /**
     * Elman RNN backward: visiting steps in reverse with carried dh (initially gradHN),
     * {@code da_t = (dh + gradOut[:, t, :]) * act'(h_t)}, {@code dh = da_t W_hh},
     * {@code dW_hh = sum_t da_t^T h_{t-1}} (act' = 1 - h^2 for tanh, h > 0 for ReLU).
     *
     * @param gradXProj (B, T, H) written: da_t
     * @param gradWhh   (H, H) written
     * @param gradH0    (B, H) written (or null)
     */
    default void rnnSequenceBackward(RecurrentDims d, RnnActivation act, Buffer wHh, Buffer h0, Buffer out,
                                     Buffer gradOut, Buffer gradHN, Buffer gradXProj, Buffer gradWhh,
                                     Buffer gradH0) {
        dev.sequor.spi.defaults.RnnDefault.backward(this, d, act, wHh, h0, out, gradOut, gradHN, gradXProj,
                gradWhh, gradH0);
    }
    // ---- 2-D convolution (ConvLSTM / ConvGRU)

    /**
     * 2-D cross-correlation, PyTorch's {@code conv2d} with zero padding:
     * <pre>
     *   out[b, o, y, x] = bias[o] + sum_{c, i, j} w[o, c, i, j] * xpad[b, c, y*strideH + i, x*strideW + j]
     * </pre>
     * where {@code xpad} is x with {@code padH}/{@code padW} zeros on each side.
     *
     * @param x      (B, C, H, W)
     * @param weight (O, C, kH, kW)
     * @param bias   (O), or null for none
     * @param out    (B, O, outH, outW), written
     */
    default void conv2dForward(Conv2dShape s, Buffer x, Buffer weight, Buffer bias, Buffer out) {
        dev.sequor.spi.defaults.Conv2dDefault.forward(this, s, x, weight, bias, out);
    }

    /**
     * The gradients of {@link #conv2dForward} given {@code gradOut (B, O, outH, outW)}:
     * {@code gradX = sum over windows of w * gradOut} (the transposed convolution),
     * {@code gradWeight[o, c, i, j] = sum_{b, y, x} gradOut[b, o, y, x] * xpad[b, c, y*sH + i, x*sW + j]},
     * {@code gradBias[o] = sum_{b, y, x} gradOut[b, o, y, x]}. Each output may be null (not wanted);
     * each is overwritten. Nothing is saved by the forward: x and weight are read again.
     *
     * @param gradX      (B, C, H, W) or null
     * @param gradWeight (O, C, kH, kW) or null
     * @param gradBias   (O) or null
     */
    default void conv2dBackward(Conv2dShape s, Buffer x, Buffer weight, Buffer gradOut, Buffer gradX,
                                Buffer gradWeight, Buffer gradBias) {
        dev.sequor.spi.defaults.Conv2dDefault.backward(this, s, x, weight, gradOut, gradX, gradWeight, gradBias);
    }
}
