package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;

/**
 * The "downscale time" step of Listen, Attend and Spell's pyramidal encoder (Chan et al. 2016):
 * consecutive states are concatenated, so {@code factor} steps become one and the sequence is that
 * many times shorter,
 * <pre>
 *   y[b, i] = [x[b, f i]; x[b, f i + 1]; ...; x[b, f i + f - 1]]      (B, T, F) -> (B, ceil(T / f), f F)
 *   lengths'[b] = ceil(lengths[b] / f)
 * </pre>
 * A sequence whose length is not a multiple of f has its last group completed with zeros (steps past a
 * length are zeroed first, so padding never leaks into a real group). LAS stacks three of these, each
 * followed by a bidirectional LSTM. Stateless: no parameters.
 *
 * @param factor steps merged into one, at least 2 (LAS uses 2)
 */
public record PyramidalDownsample(int factor) {

    /** The output and its new lengths. @param output (B, ceil(T / f), f F) @param lengths ceil(lengths / f) */
    public record Output(Tensor output, int[] lengths) {
    }

    public PyramidalDownsample {
        if (factor < 2) {
            throw new IllegalArgumentException("PyramidalDownsample: factor must be at least 2, got " + factor);
        }
    }

    /** @return LAS's halving layer */
    public static PyramidalDownsample halving() {
        return new PyramidalDownsample(2);
    }

    /**
     * @param x       (B, T, F), batch-first
     * @param lengths per-sequence lengths in [1, T], or null for all T
     * @return the downsampled sequence and its lengths
     */
    public Output forward(Tensor x, int[] lengths) {
        if (x.rank() != 3) {
            throw new IllegalArgumentException("PyramidalDownsample: input " + Windows.str(x) + " must be (B, T, F)");
        }
        int b = x.size(0);
        int t = x.size(1);
        int f = x.size(2);
        int[] len = Lengths.orFull("PyramidalDownsample", lengths, b, t);
        Tensor masked = lengths == null ? x : x.mul(Lengths.mask(x.backend(), len, t));
        int groups = (t + factor - 1) / factor;
        if (groups * factor != t) {
            masked = Tensor.concat(1, masked, Tensor.zeros(x.backend(), b, groups * factor - t, f));
        }
        Tensor y = masked.reshape(b, groups, factor * f);  // (B, T/f, f F): f consecutive rows side by side
        int[] out = new int[b];
        for (int i = 0; i < b; i++) {
            out[i] = (len[i] + factor - 1) / factor;
        }
        return new Output(y, out);
    }
}
