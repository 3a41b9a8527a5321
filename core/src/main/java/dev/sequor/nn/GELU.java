package dev.sequor.nn;

import dev.sequor.core.Tensor;

/**
 * GELU (Hendrycks and Gimpel, 2016), elementwise over any shape: exact {@code y = x Phi(x)} by
 * default, or the tanh approximation (PyTorch's {@code approximate='tanh'}).
 */
public class GELU extends Module implements Layer {

    private final boolean tanhApproximation;

    /** Exact GELU, PyTorch's default. */
    public GELU() {
        this(false);
    }

    /** @param tanhApproximation use {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))} */
    public GELU(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    /** @param x any shape @return {@code x}'s shape */
    @Override
    public Tensor forward(Tensor x) {
        return tanhApproximation ? Functional.geluTanh(x) : x.gelu();
    }
}
