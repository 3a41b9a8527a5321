package dev.sequor.nn;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.sequor.nn.Fixtures.BE;
import static dev.sequor.nn.Fixtures.assertClose;

/** RMSNorm and Embedding against PyTorch's numbers (tools/golden/gen_nncore.py). */
class GoldenLayersTest {

    @Test
    void rmsNormWithDefaultEps() {
        Golden g = Golden.read(Golden.CORE, "nncore_rmsnorm");
        RMSNorm rms = new RMSNorm(BE, new int[] {8}, null, true);
        rms.weight().assign(g.tensor("param.weight"));
        Tensor x = g.leaf("input.input");
        Tensor y = rms.forward(x);
        assertClose("RMSNorm output", y.toFloatArray(), g.expected("output.output"), 1e-5);
        y.backward(g.tensor("input.doutput"));
        assertClose("RMSNorm grad.input", x.grad().toFloatArray(), g.expected("grad.input"), 1e-4);
        assertClose("RMSNorm grad.weight", rms.weight().grad().toFloatArray(), g.expected("grad.weight"), 1e-4);
    }

    @Test
    void embeddingWithPaddingRow() {
        Golden g = Golden.read(Golden.CORE, "nncore_embedding_padding");
        Embedding emb = new Embedding(BE, 6, 3, 1, Seed.of(0));
        emb.weight().assign(g.tensor("param.weight"));
        Tensor y = emb.forward(g.tensor("input.input"));
        assertClose("Embedding output", y.toFloatArray(), g.expected("output.output"), 1e-5);
        y.backward(g.tensor("input.doutput"));
        assertClose("Embedding grad.weight", emb.weight().grad().toFloatArray(), g.expected("grad.weight"), 1e-4);
    }
}
