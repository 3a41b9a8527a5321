package dev.sequor.core;

/**
 * One recorded op on the autograd tape: its inputs and the function that maps the gradient of its
 * output to the gradients of its inputs (null where an input needs none).
 */
final class Node {

    /** Computes input gradients from the output gradient; runs with recording disabled. */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    static final Node FREED = new Node("freed", new Tensor[0], g -> {
        throw new IllegalStateException("backward through a graph a second time: the graph was freed by the first"
                + " backward(); compute the forward pass again");
    });

    final String op;
    final Tensor[] inputs;
    final Backward backward;
    /** Intermediates the backward reads that belong to this node alone; closed on release. */
    private final Tensor[] saved;
    private boolean released;

    Node(String op, Tensor[] inputs, Backward backward) {
        this(op, inputs, new Tensor[0], backward);
    }

    /**
     * Records the node and holds its inputs: a scope that closes an input meanwhile frees it only
     * once this node is released.
     */
    Node(String op, Tensor[] inputs, Tensor[] saved, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
        this.saved = saved;
        for (Tensor in : inputs) {
            if (in != null) {
                in.hold();
            }
        }
    }

    /**
     * The node will not run (any more): its backward has run, or its output was closed. Lets go of
     * the inputs and closes the saved intermediates. Idempotent.
     */
    void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        for (Tensor in : inputs) {
            if (in != null) {
                in.unhold();
            }
        }
        for (Tensor t : saved) {
            if (t != null) {
                t.close();
            }
        }
    }
}
