package dev.sequor.spi;

/**
 * Elementwise functions {@code out[i] = f(x[i])} for {@link Backend#unary}. All follow IEEE-754
 * float semantics: NaN in, NaN out; results are correctly rounded to within a few ulp of the
 * double-precision value.
 */
public enum UnaryOp {
    /** {@code -x} */
    NEG,
    /** {@code |x|} */
    ABS,
    /** {@code sign(x)}: -1, 0 or 1 (NaN stays NaN) */
    SIGN,
    /** {@code e^x} */
    EXP,
    /** {@code ln x} (NaN for x &lt; 0, -Inf at 0) */
    LOG,
    /** {@code sqrt(x)} */
    SQRT,
    /** {@code 1 / sqrt(x)} */
    RSQRT,
    /** {@code 1 / x} */
    RECIPROCAL,
    /** {@code x * x} */
    SQUARE,
    /** {@code tanh(x)} */
    TANH,
    /** {@code 1 / (1 + e^-x)}, evaluated without overflow for large |x| */
    SIGMOID,
    /** {@code max(x, 0)} (NaN stays NaN) */
    RELU,
    /** exact GELU {@code x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))}, as PyTorch's default */
    GELU,
    /** the derivative of exact GELU: {@code Phi(x) + x * phi(x)}, phi the standard normal density */
    GELU_GRAD,
    /** {@code erf(x)} */
    ERF,
    /** {@code sin(x)} */
    SIN,
    /** {@code cos(x)} */
    COS
}
