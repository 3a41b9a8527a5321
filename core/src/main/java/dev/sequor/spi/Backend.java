package dev.sequor.spi;

/**
 * The whole backend contract: the {@link Primitives} every backend implements, plus the fused
 * kernels declared here, each a default method written once in {@code core} from the primitives
 * alone (package-private classes of this package, such as {@code LstmDefault}: not API, so a backend
 * cannot depend on how a default is built). This file and {@link Primitives} are everything a new
 * backend author reads.
 *
 * <h2>What to write</h2>
 * <ol>
 *   <li><b>Must:</b> every abstract method of {@link Primitives} (memory, movement, GEMM,
 *       elementwise, reductions, softmax, indexing, random fill). A backend that implements only
 *       these is complete and passes the conformance kit.</li>
 *   <li><b>May, for speed:</b> the default methods of this interface. Each default is built from
 *       {@link Primitives} calls only, so it runs unchanged on any backend; an override must mean
 *       exactly what the default means, and the conformance kit checks it against a
 *       double-precision oracle.</li>
 * </ol>
 *
 * <h2>The override rule</h2>
 * A fused kernel with a forward and a backward (attention, cross-entropy, layer norm, the recurrent
 * sequences, conv2d) passes state from one to the other in its saved buffers ({@code lse},
 * {@code logProbs}, {@code mean}/{@code rstd}, {@code gates}/{@code cells}, ...). The rule is one:
 * <b>the saved buffers hold the default's layout unless both halves are overridden.</b> Hence a
 * forward may be overridden alone only if it saves what the default backward reads, in the
 * default's layout (each forward's Javadoc states those contents); a backward overridden alone
 * reads only that layout; and an override that wants another saved layout (packed, recomputed,
 * fewer buffers) overrides forward and backward together, and may then store anything at the
 * stated sizes that its own backward reads. The conformance kit runs forward then backward on the
 * backend under test, so a broken pairing fails its gradient checks. To use a default, a backend
 * does not override the method (an override that only calls the default is noise); it never names
 * a default's class.
 *
 * <p>For benchmarks and tests that compare an override with its default on the same device,
 * {@link #withDefaultKernels(Primitives)} gives a backend that runs every default over another
 * backend's primitives.
 */
public interface Backend extends Primitives {

    /**
     * A backend that forwards every {@link Primitives} method to {@code primitives} and runs every
     * fused kernel as its default (written from those primitives), ignoring any override the
     * backend behind {@code primitives} has. Buffers are shared: both see the same buffers. For
     * benchmarks and tests that compare an override with its default; the forwarding costs a
     * reflective call per primitive (well under a microsecond), which only matters for tiny shapes.
     *
     * @param primitives the backend whose primitives to use, not null
     * @return a backend with the same name and buffers whose fused kernels are the defaults
     */
    static Backend withDefaultKernels(Primitives primitives) {
        return DefaultKernels.over(primitives);
    }

    // ---------------------------------------------------------------- fused kernels

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
        AttentionDefault.forward(this, spec, q, k, v, bias, out, lse);
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
        AttentionDefault.backward(this, spec, q, k, v, bias, out, lse, gradOut,
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
        CrossEntropyDefault.forward(this, logits, targets, rows, classes, ignoreIndex,
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
        CrossEntropyDefault.backward(this, logProbs, targets, gradLoss, rows, classes,
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
        LayerNormDefault.forward(this, x, gamma, beta, rows, cols, eps, y, mean, rstd);
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
        LayerNormDefault.backward(this, gy, x, mean, rstd, gamma, rows, cols, gx, gGamma, gBeta);
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
    // alias another. The saved buffers' contents are those each forward states (the default's
    // layout); the override rule in this interface's Javadoc says when an override may differ.
    // Callers pass the saved buffers from a backend's forward only to the same backend's backward.

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
        LstmDefault.forward(this, d, xProj, wHh, h0, c0, out, hN, cN, gates, cells);
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
        LstmDefault.backward(this, d, wHh, h0, c0, out, gates, cells, gradOut, gradHN,
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
        GruDefault.forward(this, d, xProj, wHh, bHh, h0, out, hN, gates, hiddenN);
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
        GruDefault.backward(this, d, wHh, h0, out, gates, hiddenN, gradOut, gradHN,
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
        RnnDefault.forward(this, d, act, xProj, wHh, h0, out, hN);
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
        RnnDefault.backward(this, d, act, wHh, h0, out, gradOut, gradHN, gradXProj,
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
        Conv2dDefault.forward(this, s, x, weight, bias, out);
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
        Conv2dDefault.backward(this, s, x, weight, gradOut, gradX, gradWeight, gradBias);
    }
}
