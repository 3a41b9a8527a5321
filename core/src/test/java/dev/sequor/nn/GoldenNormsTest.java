package dev.sequor.nn;

import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.sequor.nn.Fixtures.BE;
import static dev.sequor.nn.Fixtures.assertClose;

/**
 * LayerNorm and BatchNorm1d against PyTorch's numbers (tools/golden/gen_attention.py, kept in
 * nn-attention's resources): forward and running statistics to 1e-5, gradients to 1e-4.
 */
class GoldenNormsTest {

    private static final double FORWARD = 1e-5;
    private static final double GRADIENT = 1e-4;

    @Test
    void layerNorm() {
        String[] names = {"layernorm", "layernorm_2d"};
        int[][] shapes = {{8}, {3, 8}};
        for (int i = 0; i < names.length; i++) {
            Golden g = Golden.read(Golden.NN_ATTENTION, names[i]);
            LayerNorm ln = new LayerNorm(BE, shapes[i], 1e-5f, true);
            ln.weight().assign(g.tensor("param.weight"));
            ln.bias().assign(g.tensor("param.bias"));
            Tensor x = g.leaf("input.input");
            Tensor y = ln.forward(x);
            assertClose(names[i] + " output", y.toFloatArray(), g.expected("output.output"), FORWARD);
            y.backward(g.tensor("input.doutput"));
            assertClose(names[i] + " grad.input", x.grad().toFloatArray(), g.expected("grad.input"), GRADIENT);
            assertClose(names[i] + " grad.weight", ln.weight().grad().toFloatArray(), g.expected("grad.weight"), GRADIENT);
            assertClose(names[i] + " grad.bias", ln.bias().grad().toFloatArray(), g.expected("grad.bias"), GRADIENT);
        }
    }

    @Test
    void batchNorm1d() {
        for (String layout : new String[] {"bc", "bct"}) {
            for (String mode : new String[] {"train", "eval"}) {
                String name = "batchnorm1d_" + layout + "_" + mode;
                Golden g = Golden.read(Golden.NN_ATTENTION, name);
                BatchNorm1d bn = new BatchNorm1d(BE, 4, 1e-5f, 0.1f, true, true);
                bn.weight().assign(g.tensor("param.weight"));
                bn.bias().assign(g.tensor("param.bias"));
                bn.runningMean().assign(g.tensor("param.running_mean"));
                bn.runningVar().assign(g.tensor("param.running_var"));
                bn.train(mode.equals("train"));
                Tensor x = g.leaf("input.input");
                Tensor y = bn.forward(x);
                assertClose(name + " output", y.toFloatArray(), g.expected("output.output"), FORWARD);
                assertClose(name + " running_mean", bn.runningMean().toFloatArray(), g.expected("output.running_mean"),
                        FORWARD);
                assertClose(name + " running_var", bn.runningVar().toFloatArray(), g.expected("output.running_var"),
                        FORWARD);
                y.backward(g.tensor("input.doutput"));
                assertClose(name + " grad.input", x.grad().toFloatArray(), g.expected("grad.input"), GRADIENT);
                assertClose(name + " grad.weight", bn.weight().grad().toFloatArray(), g.expected("grad.weight"), GRADIENT);
                assertClose(name + " grad.bias", bn.bias().grad().toFloatArray(), g.expected("grad.bias"), GRADIENT);
            }
        }
    }

    @Test
    void batchFirstSequencesMatchPyTorchsChannelSecondLayout() {
        Golden g = Golden.read(Golden.NN_ATTENTION, "batchnorm1d_bct_train");
        BatchNorm1d bn = new BatchNorm1d(BE, 4, 1e-5f, 0.1f, true, true);
        bn.weight().assign(g.tensor("param.weight"));
        bn.bias().assign(g.tensor("param.bias"));
        bn.runningMean().assign(g.tensor("param.running_mean"));
        bn.runningVar().assign(g.tensor("param.running_var"));
        Tensor btc = g.tensor("input.input").permute(0, 2, 1).requiresGrad(true); // (B, T, C)
        Tensor y = bn.forwardBatchFirst(btc);
        assertClose("batch-first output", y.permute(0, 2, 1).toFloatArray(), g.expected("output.output"), FORWARD);
        assertClose("batch-first running_var", bn.runningVar().toFloatArray(), g.expected("output.running_var"), FORWARD);
        y.backward(g.tensor("input.doutput").permute(0, 2, 1));
        assertClose("batch-first grad.input", btc.grad().permute(0, 2, 1).toFloatArray(), g.expected("grad.input"),
                GRADIENT);
    }
}
