package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;

import java.util.Arrays;

/** Argument checks shared by the single-step cells; errors name the cell, expected and actual shapes. */
final class CellChecks {

    private CellChecks() {
    }

    static void input(String cell, Tensor x, int inputSize) {
        if (x.rank() != 2 || x.size(1) != inputSize) {
            throw new IllegalArgumentException(cell + ": input must be (B, " + inputSize + "), got "
                    + Arrays.toString(x.shape()));
        }
    }

    static void state(String cell, String name, Tensor s, int batch, int width) {
        if (s == null) {
            throw new IllegalArgumentException(cell + ": state " + name + " is missing, expected (" + batch + ", "
                    + width + ")");
        }
        if (s.rank() != 2 || s.size(0) != batch || s.size(1) != width) {
            throw new IllegalArgumentException(cell + ": state " + name + " has shape " + Arrays.toString(s.shape())
                    + ", expected [" + batch + ", " + width + "]");
        }
    }

    static void singleLayer(String cell, int numLayers, boolean bidirectional, float dropout) {
        if (numLayers != 1 || bidirectional || dropout != 0f) {
            throw new IllegalArgumentException(cell + ": a cell is one step of one layer; numLayers, bidirectional"
                    + " and dropout belong to the layer (got " + numLayers + ", " + bidirectional + ", " + dropout + ")");
        }
    }
}
