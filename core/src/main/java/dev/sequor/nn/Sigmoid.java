package dev.sequor.nn;

import dev.sequor.core.Tensor;

/** {@code y = 1 / (1 + e^-x)}, elementwise over any shape, as a module for {@link Sequential}. */
public class Sigmoid extends Module implements Layer {

    /** @param x any shape @return {@code x}'s shape */
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
