package dev.sequor.nn;

import dev.sequor.core.Tensor;

/**
 * A module with one input and one output, {@code y = f(x)}: what {@link Sequential} chains.
 * Implemented by {@link Linear}, the activations, {@link Dropout}, {@link Embedding} and the norms.
 */
@FunctionalInterface
public interface Layer {

    /** @return the layer applied to {@code x}; shapes are the implementing layer's to state */
    Tensor forward(Tensor x);
}
