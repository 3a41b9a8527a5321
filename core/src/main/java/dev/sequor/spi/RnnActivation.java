package dev.sequor.spi;

/** The nonlinearity of an Elman RNN step {@code h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)}. */
public enum RnnActivation {
    /** {@code tanh(a)}; derivative {@code 1 - h^2} */
    TANH,
    /** {@code max(a, 0)}; derivative {@code h > 0 ? 1 : 0} */
    RELU
}
