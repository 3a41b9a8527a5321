package dev.sequor.nn;

import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.sequor.nn.Fixtures.assertClose;

/** Losses against PyTorch's numbers (tools/golden/gen_core.py): forward to 1e-5, gradients to 1e-4. */
class GoldenLossesTest {

    private static final double FORWARD = 1e-5;
    private static final double GRADIENT = 1e-4;

    @Test
    void crossEntropy() {
        String[][] cases = {{"loss_cross_entropy_mean", "-100", "MEAN"}, {"loss_cross_entropy_sum", "-100", "SUM"},
            {"loss_cross_entropy_ignore3_mean", "3", "MEAN"}};
        for (String[] c : cases) {
            Golden g = Golden.read(Golden.CORE, c[0]);
            Tensor logits = g.leaf("input.logits");
            Tensor loss = Losses.crossEntropy(logits, g.tensor("input.target"), Integer.parseInt(c[1]),
                    Reduction.valueOf(c[2]), 0f);
            assertClose(c[0] + " loss", loss.item(), g.expected("output.loss")[0], FORWARD);
            loss.backward();
            assertClose(c[0] + " grad.logits", logits.grad().toFloatArray(), g.expected("grad.logits"), GRADIENT);
        }
    }

    @Test
    void crossEntropyBatchFirstWithLabelSmoothing() {
        for (Reduction r : Reduction.values()) {
            Golden g = Golden.read(Golden.CORE, "nncore_ce_btc_smooth_" + r.name().toLowerCase());
            Tensor logits = g.leaf("input.logits");
            Tensor loss = Losses.crossEntropy(logits, g.tensor("input.target"), -100, r, 0.1f);
            if (r == Reduction.NONE) {
                assertClose("smoothed (B, T) losses", loss.toFloatArray(), g.expected("output.output"), FORWARD);
                loss.backward(g.tensor("input.doutput"));
            } else {
                assertClose("smoothed " + r, loss.item(), g.expected("output.loss")[0], FORWARD);
                loss.backward();
            }
            assertClose("smoothed " + r + " grad", logits.grad().toFloatArray(), g.expected("grad.logits"), GRADIENT);
        }
    }

    @Test
    void nll() {
        for (String r : new String[] {"mean", "sum"}) {
            Golden g = Golden.read(Golden.CORE, "loss_nll_" + r);
            Tensor input = g.leaf("input.input");
            Tensor loss = Losses.nll(input, g.tensor("input.target"), -100, Reduction.valueOf(r.toUpperCase()));
            assertClose("nll " + r, loss.item(), g.expected("output.loss")[0], FORWARD);
            loss.backward();
            assertClose("nll " + r + " grad", input.grad().toFloatArray(), g.expected("grad.input"), GRADIENT);
        }
    }

    @Test
    void mse() {
        for (String r : new String[] {"mean", "sum"}) {
            Golden g = Golden.read(Golden.CORE, "loss_mse_" + r);
            Tensor input = g.leaf("input.input");
            Tensor target = g.leaf("input.target");
            Tensor loss = Losses.mse(input, target, Reduction.valueOf(r.toUpperCase()));
            assertClose("mse " + r, loss.item(), g.expected("output.loss")[0], FORWARD);
            loss.backward();
            assertClose("mse " + r + " grad.input", input.grad().toFloatArray(), g.expected("grad.input"), GRADIENT);
            assertClose("mse " + r + " grad.target", target.grad().toFloatArray(), g.expected("grad.target"), GRADIENT);
        }
    }

    @Test
    void bceWithLogits() {
        for (String r : new String[] {"mean", "sum"}) {
            Golden g = Golden.read(Golden.CORE, "loss_bce_with_logits_" + r);
            Tensor logits = g.leaf("input.logits");
            Tensor loss = Losses.bceWithLogits(logits, g.tensor("input.target"), Reduction.valueOf(r.toUpperCase()));
            assertClose("bce " + r, loss.item(), g.expected("output.loss")[0], FORWARD);
            loss.backward();
            assertClose("bce " + r + " grad", logits.grad().toFloatArray(), g.expected("grad.logits"), GRADIENT);
        }
    }
}
