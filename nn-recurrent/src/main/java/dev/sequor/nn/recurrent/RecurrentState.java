package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;

/**
 * The state of a recurrent layer stack in PyTorch's layout: {@code h} is
 * {@code (numLayers * numDirections, B, hiddenOut)}, entry {@code layer * numDirections + direction}
 * (direction 1 is the reverse one); {@code c} (LSTM only, else null) is
 * {@code (numLayers * numDirections, B, hiddenSize)}.
 *
 * @param h the hidden state h
 * @param c the LSTM cell state c, or null for RNN and GRU
 */
public record RecurrentState(Tensor h, Tensor c) {

    /** @return the state of an RNN or GRU (no cell) */
    public static RecurrentState of(Tensor h) {
        return new RecurrentState(h, null);
    }

    /** @return this state detached from the autograd graph (truncated BPTT carries this between chunks) */
    public RecurrentState detach() {
        return new RecurrentState(h.detach(), c == null ? null : c.detach());
    }
}
