/**
 * Sequor's recurrent networks: Elman RNN, LSTM and GRU cells and multi-layer, bidirectional layers
 * with variable lengths, zoneout and truncated BPTT, ConvLSTM/ConvGRU, with PyTorch's parameter
 * names so state dicts move both ways.
 */
module dev.sequor.nn.recurrent {
    // layers take and return core Tensors and extend core's Module, so users get core with us
    requires transitive dev.sequor.core;

    exports dev.sequor.nn.recurrent;
}
