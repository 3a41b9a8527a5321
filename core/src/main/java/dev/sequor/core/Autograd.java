package dev.sequor.core;

import java.lang.ref.Reference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the define-by-run tape: a topological order of the graph
 * behind the root, then one pass in reverse that hands each node its accumulated output gradient.
 * Leaves that require gradients accumulate into {@link Tensor#grad()}. The graph is freed as it is
 * walked, as PyTorch does without {@code retain_graph}.
 */
final class Autograd {

    private Autograd() {
    }

    /** Records {@code out = op(inputs)} when recording is on and any input requires a gradient. */
    static Tensor record(Tensor out, String op, Node.Backward backward, Tensor... inputs) {
        return record(out, op, new Tensor[0], backward, inputs);
    }

    /**
     * As {@link #record(Tensor, String, Node.Backward, Tensor...)}, with intermediates that only this
     * node's backward reads: they leave the current scope and are closed when the node is released
     * (its backward has run or {@code out} was closed), or closed at once when nothing is recorded.
     */
    static Tensor record(Tensor out, String op, Tensor[] saved, Node.Backward backward, Tensor... inputs) {
        if (Grad.isEnabled()) {
            for (Tensor in : inputs) {
                if (in != null && in.requiresGrad) {
                    Scope.forget(saved);
                    out.requiresGrad = true;
                    out.node = new Node(op, inputs, saved, backward);
                    return out;
                }
            }
        }
        for (Tensor t : saved) {
            if (t != null) {
                t.close();
            }
        }
        return out;
    }

    static void backward(Tensor root, Tensor seed) {
        if (!root.requiresGrad) {
            throw new IllegalStateException("backward: the tensor " + Shapes.str(root.shape())
                    + " does not require grad (no input of its graph has requiresGrad set, or it was computed"
                    + " under Grad.disabled())");
        }
        if (!Arrays.equals(seed.shape(), root.shape())) {
            throw new IllegalArgumentException("backward: gradient shape " + Shapes.str(seed.shape())
                    + " does not match tensor shape " + Shapes.str(root.shape()));
        }
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, seed);
        List<Node> ran = new ArrayList<>();
        try (Grad ignored = Grad.disabled()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                Node node = t.node;
                if (node == null) {
                    if (g != null && t.requiresGrad) {
                        t.accumulateGrad(g);
                    }
                    continue;
                }
                t.node = Node.FREED;
                ran.add(node);
                if (g == null) {
                    continue;
                }
                Tensor[] gin = node.backward.apply(g);
                // the gradient's only reference may be this frame: keep it (and the node's captured
                // tensors) reachable until the backward that works on their buffers has returned
                Reference.reachabilityFence(g);
                Reference.reachabilityFence(node);
                for (int j = 0; j < node.inputs.length; j++) {
                    Tensor in = node.inputs[j];
                    if (in == null || !in.requiresGrad || gin[j] == null) {
                        continue;
                    }
                    if (!Arrays.equals(gin[j].shape(), in.shape())) {
                        throw new IllegalStateException("autograd: backward of " + node.op + " gave gradient "
                                + Shapes.str(gin[j].shape()) + " for input " + j + " of shape " + Shapes.str(in.shape()));
                    }
                    grads.merge(in, gin[j], Tensor::add);
                }
            }
        } finally {
            // Only now: a later node of this pass may read what an earlier one held (tanh reads its output).
            for (Node n : ran) {
                n.release();
            }
        }
    }

    /** Iterative depth-first post-order, so deep graphs (long BPTT) cannot overflow the stack. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Node node = t.node;
            if (node == Node.FREED) {
                Node.FREED.backward.apply(null);
            }
            if (node != null && next < node.inputs.length) {
                frame[1] = next + 1;
                Tensor in = node.inputs[next];
                if (in != null && in.requiresGrad && visited.add(in)) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
