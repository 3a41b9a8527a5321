package dev.sequor.nn;

import dev.sequor.core.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Layers applied in order, {@code y = f_n(... f_2(f_1(x)))}, as PyTorch's {@code nn.Sequential}:
 * submodules are named {@code "0"}, {@code "1"}, ..., so parameter names match PyTorch's
 * ({@code 0.weight}, {@code 2.bias}).
 */
public class Sequential extends Module implements Layer {

    private final List<Layer> layers = new ArrayList<>();

    /**
     * @param modules each a {@link Module} that is also a {@link Layer}
     * @throws IllegalArgumentException if one is not a {@link Layer}
     */
    public Sequential(Module... modules) {
        for (Module m : modules) {
            if (!(m instanceof Layer layer)) {
                throw new IllegalArgumentException("Sequential: " + m.getClass().getSimpleName()
                        + " at index " + layers.size() + " is not a Layer (it has no single-input forward)");
            }
            registerModule(Integer.toString(layers.size()), m);
            layers.add(layer);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Layer layer : layers) {
            y = layer.forward(y);
        }
        return y;
    }

    /** @return how many layers this holds */
    public int size() {
        return layers.size();
    }
}
