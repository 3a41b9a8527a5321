package dev.sequor.nn;

import dev.sequor.core.Tensor;

/** {@code y = max(x, 0)}, elementwise over any shape, as a module for {@link Sequential}. */
public class ReLU extends Module implements Layer {

    /** @param x any shape @return {@code x}'s shape */
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
