package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;

/**
 * What a recurrent layer returns, as PyTorch's {@code output, (h_n, c_n)}.
 *
 * @param output {@code (B, T, numDirections * hiddenOut)}: the last layer's h_t for every t, the
 *               directions concatenated (forward first); zero past each sequence's length
 * @param state  the final states of every layer and direction, each taken at that sequence's own last step
 */
public record RecurrentOutput(Tensor output, RecurrentState state) {

    /** @return the final hidden states {@code (numLayers * numDirections, B, hiddenOut)} */
    public Tensor hN() {
        return state.h();
    }

    /** @return the final cell states of an LSTM, else null */
    public Tensor cN() {
        return state.c();
    }
}
