package dev.sequor.core;

/**
 * Records an op whose forward a caller computed directly on backend buffers (typically a fused SPI
 * kernel such as {@link dev.sequor.spi.Backend#attentionForward}), so that layers outside core can
 * make fused kernels differentiable, as PyTorch's {@code autograd.Function} does.
 *
 * <p>The backward receives {@code dL/dout} (shape of {@code out}) with recording disabled and returns
 * one gradient per input, in order, shaped like that input, or null where an input needs none.
 */
public final class CustomOp {

    private CustomOp() {
    }

    /** Maps the output gradient to the input gradients. */
    @FunctionalInterface
    public interface Backward {
        /** @return one gradient (or null) per input of {@link #record} */
        Tensor[] apply(Tensor gradOutput);
    }

    /**
     * Attaches {@code backward} to the freshly computed {@code out} when recording is on and an input
     * requires a gradient.
     *
     * @param out      the op's result, a new tensor without history
     * @param op       a name for error messages
     * @param backward the gradient function
     * @param inputs   the differentiable inputs (nulls allowed)
     * @return {@code out}
     * @throws IllegalArgumentException if {@code out} already has a history
     */
    public static Tensor record(Tensor out, String op, Backward backward, Tensor... inputs) {
        if (!out.isLeaf() || out.requiresGrad()) {
            throw new IllegalArgumentException(op + ": the output passed to CustomOp.record already has a history");
        }
        return Autograd.record(out, op, backward::apply, inputs);
    }
}
