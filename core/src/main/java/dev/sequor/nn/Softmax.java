package dev.sequor.nn;

import dev.sequor.core.Tensor;

/** Softmax along one axis, {@code y_j = e^(x_j) / sum_k e^(x_k)}, as a module. */
public class Softmax extends Module implements Layer {

    private final int axis;

    /** @param axis the axis to normalise (negative counts from the end, -1 for the last) */
    public Softmax(int axis) {
        this.axis = axis;
    }

    /** @param x any shape with {@code axis} @return {@code x}'s shape */
    @Override
    public Tensor forward(Tensor x) {
        return x.softmax(axis);
    }
}
