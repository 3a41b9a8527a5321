package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fused kernel and its gradient against PyTorch's scaled dot-product attention (float64, rounded). */
class ScaledDotProductAttentionGoldenTest {

    private static final Golden GOLDEN = new Golden("attention_sdpa.safetensors");

    @ParameterizedTest
    @ValueSource(strings = {"plain", "causal", "boolmask", "floatmask", "rank3"})
    void matchesPyTorch(String name) {
        Backend be = Backends.get("reference");
        try (Scope s = Tensor.scope()) {
            Tensor q = GOLDEN.tensor(be, name + ".q").requiresGrad(true);
            Tensor k = GOLDEN.tensor(be, name + ".k").requiresGrad(true);
            Tensor v = GOLDEN.tensor(be, name + ".v").requiresGrad(true);
            Mask mask = null;
            if (GOLDEN.has(name + ".mask_keep")) {
                mask = Mask.keepWhere(GOLDEN.tensor(be, name + ".mask_keep"));
            } else if (GOLDEN.has(name + ".mask_add")) {
                mask = Mask.additive(GOLDEN.tensor(be, name + ".mask_add"));
            }
            Tensor out = ScaledDotProductAttention.apply(q, k, v, mask, name.equals("causal"), 0f, Seed.of(0L));
            GOLDEN.assertClose(name + ".out", out, 1e-5);
            out.mul(GOLDEN.tensor(be, name + ".gout")).sum().backward();
            GOLDEN.assertClose(name + ".grad.q", q.grad(), 1e-4);
            GOLDEN.assertClose(name + ".grad.k", k.grad(), 1e-4);
            GOLDEN.assertClose(name + ".grad.v", v.grad(), 1e-4);
        }
    }
}
