package dev.sequor.nn.attention;

import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sliding-window (local) scaled dot-product attention written in differentiable tensor ops, computing
 * only the scores inside the window: query {@code i} attends to keys
 * {@code j in [i + off - left, i + off + right]}, where {@code off = S - L} aligns the last query with
 * the last key (as {@link ScaledDotProductAttention}'s {@code causal}); causal local attention is
 * {@code right = 0}. For each query {@code i},
 * {@code out_i = sum_j softmax_j(scale q_i . k_j + M_ij) v_j} over the band, with {@code M} also
 * excluding keys {@code j >= lengths[b]} of padded sequences.
 *
 * <p>Queries are taken in blocks of {@code W} rows; block {@code [i0, i1)} meets only the keys
 * {@code [i0 + off - left, i1 - 1 + off + right]} (clamped to {@code [0, S)}), so its scores are
 * {@code (B, H, i1 - i0, <= W + left + right)} and the whole call costs
 * {@code O(B H L (W + left + right) E)} time and {@code O(B H L (W + left + right))} memory (the
 * autograd graph keeps each block's weights) instead of global attention's {@code O(B H L S)}.
 * The blocks' outputs are concatenated along time. For self-attention ({@code L == S}) the blocks
 * run as one batch, each meeting the whole key blocks {@code [i0 - W ceil(left/W), i1 + W ceil(right/W))}
 * (masked to the band), so no per-block slice has a full-length gradient.
 *
 * <p>Shapes: {@code q (B, H, L, E)}, {@code k (B, H, S, E)}, {@code v (B, H, S, Ev)} give
 * {@code (B, H, L, Ev)}; rank-3 inputs {@code (B, L, E)} are one head. A query with no visible key
 * (all of its band padded away) gets a zero output and zero gradients, never NaN, as in
 * {@link ScaledDotProductAttention}. There is no attention dropout.
 */
public final class WindowedAttention {

    private WindowedAttention() {
    }

    /**
     * {@link #apply(Tensor, Tensor, Tensor, int, int, int[], float, int)} with scale {@code 1/sqrt(E)} and
     * the default block of {@code max(16, left + right + 1)} rows.
     */
    public static Tensor apply(Tensor q, Tensor k, Tensor v, int left, int right, int[] lengths) {
        return apply(q, k, v, left, right, lengths, (float) (1.0 / Math.sqrt(q.size(-1))), defaultBlock(left, right));
    }

    /**
     * @param left      how many earlier keys each query sees ({@code >= 0}; larger than {@code S} means all)
     * @param right     how many later keys each query sees ({@code >= 0}; 0 is causal)
     * @param lengths   key lengths per sequence {@code (B)}: sequence {@code b} keeps keys {@code j < lengths[b]};
     *                  null for none
     * @param scale     multiplies {@code q . k}
     * @param blockRows {@code W}, the number of query rows per block ({@code >= 1})
     * @return {@code (.., L, Ev)}
     * @throws IllegalArgumentException naming the shapes when q, k, v or lengths do not fit, or when
     *         {@code left}, {@code right} or {@code blockRows} are out of range
     */
    public static Tensor apply(Tensor q, Tensor k, Tensor v, int left, int right, int[] lengths, float scale,
                               int blockRows) {
        int rank = q.rank();
        if (rank < 3 || rank > 4 || k.rank() != rank || v.rank() != rank) {
            throw new IllegalArgumentException("windowedAttention: q, k, v must all be (B, L, E) or (B, H, L, E), got q "
                    + Arrays.toString(q.shape()) + ", k " + Arrays.toString(k.shape()) + ", v " + Arrays.toString(v.shape()));
        }
        int[] qs = q.shape();
        int[] ks = k.shape();
        int[] vs = v.shape();
        int batch = qs[0];
        int l = qs[rank - 2];
        int s = ks[rank - 2];
        boolean leadOk = ks[0] == batch && vs[0] == batch && (rank == 3 || (ks[1] == qs[1] && vs[1] == qs[1]));
        if (!leadOk || ks[rank - 1] != qs[rank - 1] || vs[rank - 2] != s || s < l) {
            throw new IllegalArgumentException("windowedAttention: expected k (.., S, " + qs[rank - 1] + ") and v (.., S, Ev)"
                    + " with S >= L and the leading dimensions of q " + Arrays.toString(qs) + ", got k "
                    + Arrays.toString(ks) + " and v " + Arrays.toString(vs));
        }
        if (left < 0 || right < 0 || blockRows < 1) {
            throw new IllegalArgumentException("windowedAttention: need left >= 0, right >= 0 and blockRows >= 1, got left="
                    + left + " right=" + right + " blockRows=" + blockRows);
        }
        if (lengths != null && lengths.length != batch) {
            throw new IllegalArgumentException("windowedAttention: " + lengths.length + " lengths for a batch of " + batch
                    + " (q " + Arrays.toString(qs) + ")");
        }
        int[] keyLengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            keyLengths[b] = lengths == null ? s : lengths[b];
            if (keyLengths[b] < 0 || keyLengths[b] > s) {
                throw new IllegalArgumentException("windowedAttention: length " + keyLengths[b] + " of sequence " + b
                        + " is outside [0, " + s + "]");
            }
        }
        int lo = Math.min(left, s);
        int hi = Math.min(right, s);
        int off = s - l;
        Backend be = q.backend();
        if (l == s) {
            return selfAttention(q, k, v, lo, hi, keyLengths, scale, blockRows);
        }
        List<Tensor> blocks = new ArrayList<>();
        for (int i0 = 0; i0 < l; i0 += blockRows) {
            int rows = Math.min(blockRows, l - i0);
            int j0 = Math.max(0, i0 + off - lo);
            int j1 = Math.min(s, i0 + rows - 1 + off + hi + 1);
            if (j1 <= j0) {
                // no key at all for this block (possible only when the band lies past the keys): zero rows
                int[] zs = qs.clone();
                zs[rank - 2] = rows;
                zs[rank - 1] = vs[rank - 1];
                blocks.add(Tensor.zeros(be, zs));
                continue;
            }
            int cols = j1 - j0;
            Tensor qb = q.narrow(rank - 2, i0, rows);   // (.., rows, E)
            Tensor kb = k.narrow(rank - 2, j0, cols);   // (.., cols, E)
            Tensor vb = v.narrow(rank - 2, j0, cols);   // (.., cols, Ev)
            Tensor scores = qb.matmul(kb.transpose(-1, -2)).mul(scale); // (.., rows, cols)
            Mask mask = bandMask(be, rank, keyLengths, i0 + off, rows, j0, cols, lo, hi);
            Tensor w = MaskedSoftmax.apply(scores, mask, "windowedAttention");
            blocks.add(w.matmul(vb));                   // (.., rows, Ev)
        }
        return blocks.size() == 1 ? blocks.get(0) : Tensor.concat(rank - 2, blocks);
    }

    /**
     * {@code L == S}, all blocks at once: keys padded by {@code P = ceil(left / W)} blocks before and
     * {@code N = ceil(right / W)} after, block {@code n} meets key blocks {@code n - P .. n + N}, gathered by
     * {@code P + N + 1} shifted views so the backward stays {@code O(T)} per view (a per-block narrow's
     * backward is a full-length gradient, {@code O(T^2 / W)} in all).
     */
    private static Tensor selfAttention(Tensor q4, Tensor k4, Tensor v4, int lo, int hi, int[] keyLengths, float scale,
                                        int blockRows) {
        int w = Math.max(1, Math.min(blockRows, q4.size(-2)));
        boolean three = q4.rank() == 3;
        Tensor q = three ? q4.unsqueeze(1) : q4;
        Tensor k = three ? k4.unsqueeze(1) : k4;
        Tensor v = three ? v4.unsqueeze(1) : v4;
        int b = q.size(0);
        int h = q.size(1);
        int t = q.size(2);
        int e = q.size(3);
        int ev = v.size(3);
        Backend be = q.backend();
        int nb = (t + w - 1) / w;
        int tp = nb * w;
        int before = (lo + w - 1) / w;
        int after = (hi + w - 1) / w;
        int c = (before + after + 1) * w;
        Tensor qb = pad(q, 0, tp - t).reshape(b, h, nb, w, e);          // (B, H, nb, W, E)
        Tensor kp = pad(k, before * w, tp - t + after * w);              // (B, H, (P + nb + N) W, E)
        Tensor vp = pad(v, before * w, tp - t + after * w);              // (B, H, (P + nb + N) W, Ev)
        List<Tensor> ks = new ArrayList<>();
        List<Tensor> vs = new ArrayList<>();
        for (int d = 0; d <= before + after; d++) {
            ks.add(kp.narrow(2, d * w, tp).reshape(b, h, nb, w, e));    // key block n - P + d for every n
            vs.add(vp.narrow(2, d * w, tp).reshape(b, h, nb, w, ev));
        }
        Tensor kc = ks.size() == 1 ? ks.get(0) : Tensor.concat(3, ks);  // (B, H, nb, C, E)
        Tensor vc = vs.size() == 1 ? vs.get(0) : Tensor.concat(3, vs);  // (B, H, nb, C, Ev)
        Tensor scores = qb.matmul(kc.transpose(-1, -2)).mul(scale);      // (B, H, nb, W, C)
        float[] keep = new float[b * nb * w * c];
        for (int bi = 0; bi < b; bi++) {
            for (int n = 0; n < nb; n++) {
                for (int r = 0; r < w; r++) {
                    int i = n * w + r;
                    int base = ((bi * nb + n) * w + r) * c;
                    for (int col = 0; col < c && i < t; col++) {
                        int j = (n - before) * w + col;
                        boolean in = j >= 0 && j < keyLengths[bi] && j - i >= -lo && j - i <= hi;
                        keep[base + col] = in ? 1f : 0f;
                    }
                }
            }
        }
        Mask mask = Mask.keepWhere(Tensor.of(be, keep, b, 1, nb, w, c));
        Tensor out = MaskedSoftmax.apply(scores, mask, "windowedAttention").matmul(vc) // (B, H, nb, W, Ev)
                .reshape(b, h, tp, ev);
        if (tp != t) {
            out = out.narrow(2, 0, t);
        }
        return three ? out.squeeze(1) : out;
    }

    /** {@code x (B, H, T, F)} with {@code front} and {@code back} zero rows added along time. */
    private static Tensor pad(Tensor x, int front, int back) {
        if (front == 0 && back == 0) {
            return x;
        }
        List<Tensor> parts = new ArrayList<>();
        if (front > 0) {
            parts.add(Tensor.zeros(x.backend(), x.size(0), x.size(1), front, x.size(3)));
        }
        parts.add(x);
        if (back > 0) {
            parts.add(Tensor.zeros(x.backend(), x.size(0), x.size(1), back, x.size(3)));
        }
        return Tensor.concat(2, parts);
    }

    /** The block's band and padding as a {@code (B, 1, rows, cols)} (rank 4) or {@code (B, rows, cols)} mask. */
    private static Mask bandMask(Backend be, int rank, int[] keyLengths, int firstAligned, int rows, int j0, int cols,
                                 int left, int right) {
        int batch = keyLengths.length;
        float[] keep = new float[batch * rows * cols];
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < rows; r++) {
                int centre = firstAligned + r;
                int base = (b * rows + r) * cols;
                int from = Math.max(j0, centre - left);
                int to = Math.min(Math.min(j0 + cols - 1, centre + right), keyLengths[b] - 1);
                for (int j = from; j <= to; j++) {
                    keep[base + j - j0] = 1f;
                }
            }
        }
        Tensor t = rank == 4 ? Tensor.of(be, keep, batch, 1, rows, cols) : Tensor.of(be, keep, batch, rows, cols);
        return Mask.keepWhere(t);
    }

    /** @return {@code max(16, left + right + 1)}, clamped to avoid overflow */
    static int defaultBlock(int left, int right) {
        long span = (long) left + right + 1;
        return (int) Math.max(16, Math.min(span, 4096));
    }
}
