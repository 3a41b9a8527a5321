/**
 * Recurrent networks over batch-first sequences {@code (B, T, F)}, with PyTorch's parameter names,
 * shapes and gate orders, so state dicts move both ways.
 *
 * <h2>Layers</h2>
 * {@link dev.sequor.nn.recurrent.Rnn}, {@link dev.sequor.nn.recurrent.Lstm} and
 * {@link dev.sequor.nn.recurrent.Gru} (configured by {@link dev.sequor.nn.recurrent.RnnConfig},
 * {@link dev.sequor.nn.recurrent.LstmConfig}, {@link dev.sequor.nn.recurrent.GruConfig}): stacked
 * layers, bidirectional (outputs concatenated), inter-layer dropout, optional initial state,
 * variable lengths with PyTorch's packed-sequence meaning (without packing), zoneout, and
 * LSTM variants (projection, peepholes, coupled gates, layer norm, forget bias).
 * {@link dev.sequor.nn.recurrent.TruncatedBptt} trains long sequences in chunks and
 * {@link dev.sequor.nn.recurrent.RecurrentStream} streams inference.
 *
 * <pre>{@code
 * Lstm lstm = new Lstm(LstmConfig.of(32, 64).withLayers(2).withBidirectional(true));
 * RecurrentOutput r = lstm.forward(x, null, lengths);   // x (B, T, 32), lengths[b] in [1, T]
 * Tensor y = r.output();                                 // (B, T, 128), zero past each length
 * Tensor hN = r.hN();                                    // (4, B, 64), each sequence's own last step
 * }</pre>
 *
 * <h2>Cells</h2>
 * {@link dev.sequor.nn.recurrent.RnnCell}, {@link dev.sequor.nn.recurrent.LstmCell},
 * {@link dev.sequor.nn.recurrent.GruCell} (PyTorch and Cho et al. forms), and over feature maps
 * {@code (B, C, H, W)} {@link dev.sequor.nn.recurrent.ConvLstmCell} and
 * {@link dev.sequor.nn.recurrent.ConvGruCell} on {@link dev.sequor.nn.recurrent.Conv2d}.
 *
 * <h2>Convolution and pooling over time</h2>
 * {@link dev.sequor.nn.recurrent.Conv1d} (stride, padding, dilation: TDNN and text CNNs) and
 * {@link dev.sequor.nn.recurrent.Pooling} (max and average, 1-D and 2-D) live here beside
 * {@code Conv2d}, in Tensor ops.
 *
 * <h2>Speed</h2>
 * The input projection of all steps is one GEMM. The standard RNN/LSTM/GRU then run each layer
 * direction as ONE call of the backend's fused whole-sequence kernel
 * ({@code Backend.lstmSequenceForward} and friends) recorded as ONE autograd node whose backward is
 * the fused backward; a backend overrides these to pack {@code W_hh} once per sequence. Variants
 * the kernels do not cover (projection, peepholes, coupled gates, layer norm, Cho's GRU, zoneout)
 * run step by step with Tensor ops, which also serves as the tests' oracle for the fused path.
 */
package dev.sequor.nn.recurrent;
