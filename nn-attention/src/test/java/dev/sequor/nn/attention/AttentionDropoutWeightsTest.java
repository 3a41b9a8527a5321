package dev.sequor.nn.attention;

import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Returned attention weights are the ones the output used, after dropout, as PyTorch's
 * {@code MultiheadAttention(need_weights=True)} in training; and a float mask's gradient under dropout
 * is the gradient through those weights.
 */
class AttentionDropoutWeightsTest {

    private final Backend be = Backends.get("reference");

    @Test
    void multiHeadAttentionReturnsTheWeightsAfterDropoutThatProduceTheOutput() {
        int b = 2;
        int l = 5;
        int e = 8;
        int h = 2;
        float p = 0.5f;
        try (Scope s = Tensor.scope()) {
            MultiHeadAttention mha = new MultiHeadAttention(be, MultiHeadAttentionConfig.of(e, h).withDropout(p)
                    .withSeed(Seed.of(7)));
            mha.train();
            Tensor x = Tensor.normal(be, 0f, 1f, Seed.of(3), b, l, e);
            AttentionOutput out = mha.forward(x, x, x, AttentionConfig.NONE.withWeights(AttentionConfig.Weights.PER_HEAD));
            Tensor w = out.weights(); // (B, H, L, S)
            float[] wv = w.toFloatArray();
            int dropped = 0;
            for (float f : wv) {
                dropped += f == 0f ? 1 : 0;
            }
            assertThat(dropped).as("weights dropped at p = 0.5 of %s", wv.length).isBetween(wv.length / 4, 3 * wv.length / 4);
            // rebuild the output from the returned weights: out_proj(merge(W (x Wv^T + bv)))
            Tensor inW = mha.stateDict().get("in_proj_weight");
            Tensor inB = mha.stateDict().get("in_proj_bias");
            Tensor vProj = x.matmulTransposed(inW.narrow(0, 2 * e, e)).add(inB.narrow(0, 2 * e, e));
            Tensor vh = vProj.reshape(b, l, h, e / h).permute(0, 2, 1, 3); // (B, H, S, E/H)
            Tensor merged = w.matmul(vh).permute(0, 2, 1, 3).reshape(b, l, e); // (B, L, E)
            Tensor rebuilt = merged.matmulTransposed(mha.stateDict().get("out_proj.weight"))
                    .add(mha.stateDict().get("out_proj.bias"));
            Golden.assertArrayClose("output from the returned weights", out.output().toFloatArray(),
                    rebuilt.toFloatArray(), 1e-5);

            mha.eval();
            Tensor evalW = mha.forward(x, x, x, AttentionConfig.NONE.withWeights(AttentionConfig.Weights.AVERAGED))
                    .weights().sum(-1, false);
            for (float row : evalW.toFloatArray()) {
                assertThat(row).as("evaluation weights are the softmax").isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void maskGradientUnderDropoutIsTheGradientThroughTheDroppedWeights() {
        float p = 0.3f;
        Seed seed = Seed.of(11);
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0f, 1f, Seed.of(1), 2, 2, 4, 8);
            Tensor k = Tensor.normal(be, 0f, 1f, Seed.of(2), 2, 2, 6, 8);
            Tensor v = Tensor.normal(be, 0f, 1f, Seed.of(3), 2, 2, 6, 5);
            Tensor g = Tensor.normal(be, 0f, 1f, Seed.of(4), 2, 2, 4, 5);
            Tensor fusedBias = Tensor.normal(be, 0f, 1f, Seed.of(5), 2, 1, 4, 6).requiresGrad(true);
            Tensor composedBias = Tensor.of(be, fusedBias.toFloatArray(), fusedBias.shape()).requiresGrad(true);
            float scale = (float) (1.0 / Math.sqrt(8));
            Tensor fused = ScaledDotProductAttention.apply(q, k, v, Mask.additive(fusedBias), true, p, seed, scale).output();
            Tensor composed = ScaledDotProductAttention.weights(q, k, Mask.additive(composedBias), true, scale, p, seed)
                    .matmul(v);
            Golden.assertArrayClose("fused output vs weights after dropout times V", composed.toFloatArray(),
                    fused.toFloatArray(), 1e-5);
            fused.mul(g).sum().backward();
            composed.mul(g).sum().backward();
            assertThat(fusedBias.grad().shape()).containsExactly(2, 1, 4, 6);
            Golden.assertArrayClose("mask gradient under dropout", composedBias.grad().toFloatArray(),
                    fusedBias.grad().toFloatArray(), 1e-5);
        }
    }
}
