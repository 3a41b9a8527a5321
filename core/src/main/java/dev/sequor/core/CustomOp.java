package dev.sequor.core;

import java.util.Objects;

/**
 * Records an op computed outside the Tensor API (for example a fused backend kernel over a whole
 * sequence) as ONE node of the autograd tape, with any number of outputs.
 *
 * <p>The caller computes the outputs itself (typically under {@link Grad#disabled()} or straight on
 * buffers) and hands them here with the function that maps output gradients to input gradients:
 *
 * <pre>{@code
 * Tensor[] outs = CustomOp.record("lstmSequence", new Tensor[] {xProj, wHh, h0, c0},
 *         new Tensor[] {out, hN, cN}, grads -> fusedBackward(grads[0], grads[1], grads[2]));
 * }</pre>
 *
 * <p>Mechanics: a hidden zero-element hub tensor carries the node whose inputs are the real inputs;
 * each output gets a node whose only input is the hub. When the engine reaches an output it stores
 * that output's gradient; when it reaches the hub (after every output, by topological order) it
 * calls {@code backward} once with all of them. Outputs that received no gradient are passed as
 * {@code null}.
 */
public final class CustomOp {

    /** Maps output gradients (null where an output got none) to input gradients (null where none). */
    @FunctionalInterface
    public interface Backward {
        /**
         * @param gradOutputs one entry per output, shaped as that output, or null
         * @return one entry per input, shaped as that input, or null where it needs no gradient
         */
        Tensor[] apply(Tensor[] gradOutputs);
    }

    private CustomOp() {
    }

    /**
     * Attaches {@code backward} to {@code outputs} when recording is on and any input requires a
     * gradient; otherwise returns the outputs untouched.
     *
     * @param op       name shown in autograd errors
     * @param inputs   the differentiable inputs (entries may be null)
     * @param outputs  freshly computed tensors with no history
     * @param backward called once per {@link Tensor#backward()} pass that reaches any output
     * @return {@code outputs}, now recorded
     */
    public static Tensor[] record(String op, Tensor[] inputs, Tensor[] outputs, Backward backward) {
        Objects.requireNonNull(backward, "backward");
        if (!Grad.isEnabled()) {
            return outputs;
        }
        boolean any = false;
        for (Tensor in : inputs) {
            any |= in != null && in.requiresGrad;
        }
        if (!any) {
            return outputs;
        }
        for (Tensor o : outputs) {
            if (!o.isLeaf() || o.requiresGrad) {
                throw new IllegalArgumentException(op + ": outputs must be fresh tensors without history");
            }
        }
        Tensor[] slots = new Tensor[outputs.length];
        Tensor hub = Tensor.empty(outputs[0].backend(), 0);
        Autograd.record(hub, op, g -> {
            Tensor[] grads = slots.clone();
            java.util.Arrays.fill(slots, null);
            Tensor[] gin = backward.apply(grads);
            if (gin.length != inputs.length) {
                throw new IllegalStateException(op + ": backward returned " + gin.length + " gradients for "
                        + inputs.length + " inputs");
            }
            return gin;
        }, inputs.clone());
        for (int k = 0; k < outputs.length; k++) {
            int slot = k;
            Autograd.record(outputs[k], op, g -> {
                slots[slot] = slots[slot] == null ? g : slots[slot].add(g);
                return new Tensor[] {Tensor.empty(hub.backend(), 0)};
            }, hub);
        }
        return outputs;
    }
}
