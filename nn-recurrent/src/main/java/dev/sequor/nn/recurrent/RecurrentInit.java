package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Init;
import dev.sequor.spi.Backend;

import java.util.ArrayList;
import java.util.List;

/**
 * Initialisers of recurrent weights. Every weight and bias starts as in PyTorch, uniform in
 * {@code [-1/sqrt(H), 1/sqrt(H))}; this choice then decides each {@code (H, in)} gate block of the
 * recurrent weight {@code W_hh} (built from core's {@link Init}).
 */
public enum RecurrentInit {
    /** PyTorch's default: {@code W_hh ~ U(-1/sqrt(H), 1/sqrt(H))}. */
    UNIFORM,
    /** Each gate block of {@code W_hh} an orthogonal matrix (Saxe et al. 2014), {@code Init.orthogonal}. */
    ORTHOGONAL,
    /** Each gate block of {@code W_hh} the identity (IRNN, Le et al. 2015; use with ReLU RNNs). */
    IDENTITY;

    /** @return a {@code (gates * rows, cols)} recurrent weight under this scheme */
    Tensor recurrentWeight(Backend be, int gates, int rows, int cols, float bound, long seed) {
        if (this == UNIFORM) {
            return Tensor.uniform(be, -bound, bound, Seed.of(seed), gates * rows, cols);
        }
        List<Tensor> blocks = new ArrayList<>();
        for (int g = 0; g < gates; g++) {
            blocks.add(this == IDENTITY ? Init.eye(be, rows, cols) : Init.orthogonal(be, 1.0, Seed.of(seed + 7919L * g), rows, cols));
        }
        return Tensor.concat(0, blocks);   // (gates * rows, cols)
    }
}
