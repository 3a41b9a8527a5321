package dev.sequor.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * Records an op computed outside the Tensor API (a fused backend kernel, a loss, a whole-sequence
 * recurrent layer) as ONE node of the autograd tape, with one output or several.
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
     * The one-output form: {@code out} must be a fresh tensor computed from {@code inputs} with
     * nothing recorded (e.g. by backend calls); {@code backward} maps the gradient of {@code out} to
     * one gradient per input, in order, each shaped like its input (null where an input needs none),
     * and runs with recording disabled. Nothing is recorded when recording is off or no input
     * requires a gradient.
     *
     * @return {@code out}, now carrying the recorded op
     * @throws IllegalArgumentException if {@code out} already carries a recorded op
     */
    public static Tensor record(String op, Tensor out, Function<Tensor, Tensor[]> backward,
                                Tensor... inputs) {
        return record(op, out, NONE, backward, inputs);
    }

    /**
     * The one-output form with {@code saved}: intermediates the op computed that only its backward
     * reads (gate activations, log-probabilities, row statistics). The op owns them from here:
     * they leave the current scope and are closed once the backward has run or {@code out} is
     * closed, and at once when nothing is recorded. Inputs and the output need no listing: every
     * recorded op keeps its inputs from being freed (even by a scope) until it is released.
     */
    public static Tensor record(String op, Tensor out, Tensor[] saved,
                                Function<Tensor, Tensor[]> backward, Tensor... inputs) {
        Objects.requireNonNull(backward, "backward");
        if (out.node != null) {
            throw new IllegalArgumentException(op + ": the output already has a recorded op (" + out.node.op
                    + "); compute it with recording disabled");
        }
        return Autograd.record(out, op, saved, backward::apply, inputs);
    }

    private static final Tensor[] NONE = new Tensor[0];

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
        return record(op, inputs, outputs, NONE, backward);
    }

    /**
     * As {@link #record(String, Tensor[], Tensor[], Backward)}, with intermediates that only the
     * backward reads; see {@link #record(String, Tensor, Tensor[], java.util.function.Function, Tensor...)}.
     */
    public static Tensor[] record(String op, Tensor[] inputs, Tensor[] outputs, Tensor[] saved, Backward backward) {
        Objects.requireNonNull(backward, "backward");
        boolean any = false;
        for (Tensor in : inputs) {
            any |= in != null && in.requiresGrad;
        }
        if (!Grad.isEnabled() || !any) {
            for (Tensor t : saved) {
                if (t != null) {
                    t.close();
                }
            }
            return outputs;
        }
        for (Tensor o : outputs) {
            if (!o.isLeaf() || o.requiresGrad) {
                throw new IllegalArgumentException(op + ": outputs must be fresh tensors without history");
            }
        }
        if (outputs.length == 1) {
            // No hub needed: the output's own node calls backward directly.
            record(op, outputs[0], saved, g -> checked(op, backward.apply(new Tensor[] {g}), inputs.length),
                    inputs.clone());
            return outputs;
        }
        Tensor[] slots = new Tensor[outputs.length];
        Tensor hub = Tensor.empty(outputs[0].backend(), 0);
        Autograd.record(hub, op, saved, g -> {
            Tensor[] grads = slots.clone();
            Arrays.fill(slots, null);
            Tensor[] gin = checked(op, backward.apply(grads), inputs.length);
            // the output gradients live only in this array: keep them while the kernel reads their buffers
            java.lang.ref.Reference.reachabilityFence(grads);
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

    private static Tensor[] checked(String op, Tensor[] gin, int inputs) {
        if (gin.length != inputs) {
            throw new IllegalStateException(op + ": backward returned " + gin.length + " gradients for " + inputs
                    + " inputs");
        }
        return gin;
    }
}
