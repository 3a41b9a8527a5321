package dev.sequor.nn;

import dev.sequor.core.Grad;
import dev.sequor.core.CustomOp;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

/** The tape entry for the fused softmax cross-entropy kernel: per-row losses and their backward. */
final class CrossEntropyOp {

    private CrossEntropyOp() {
    }

    /** @return the loss of each row, {@code (rows)}, differentiable with respect to the logits */
    static Tensor rowLosses(Tensor logits, Tensor targets, int rows, int classes, int ignoreIndex,
                            float labelSmoothing) {
        String op = "crossEntropy";
        Backend be = logits.backend();
        if (targets.backend() != be) {
            throw new IllegalArgumentException(op + ": logits and targets live on different backends ("
                    + be.name() + " and " + targets.backend().name() + "); move one with targets.to(logits.backend())");
        }
        Tensor loss = Tensor.zeros(be, rows);
        Tensor logProbs = Tensor.zeros(be, rows, classes);
        be.crossEntropyForward(logits.buffer(op), targets.buffer(op), rows, classes, ignoreIndex, labelSmoothing,
                loss.buffer(op), logProbs.buffer(op));
        if (!Grad.isEnabled() || !logits.requiresGrad()) {
            logProbs.close();
            return loss;
        }
        int[] shape = logits.shape();
        return CustomOp.record(op, loss, new Tensor[] {logProbs}, g -> {
            String bop = "crossEntropy backward";
            Tensor gx = Tensor.zeros(be, shape);
            be.crossEntropyBackward(logProbs.buffer(bop), targets.buffer(bop), g.buffer(bop), rows, classes,
                    ignoreIndex, labelSmoothing, gx.buffer(bop));
            return new Tensor[] {gx};
        }, logits);
    }
}
