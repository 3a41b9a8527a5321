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

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }
}
