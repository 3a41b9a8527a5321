package dev.sequor.nn.attention;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Local attention's window, and the two positional encodings. */
class LocalAttentionAndPositionTest {

    private final Backend be = Backends.get("reference");

    @Test
    void localAttentionSeesOnlyItsWindow() {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(1), 2, 5, 4);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(2), 2, 5, 4);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(3), 2, 5, 3);
            float[] both = new LocalAttention(1, false).forward(q, k, v, null, true).weights().toFloatArray();
            float[] back = new LocalAttention(1, true).forward(q, k, v, null, true).weights().toFloatArray();
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 5; j++) {
                        int at = (b * 5 + i) * 5 + j;
                        assertThat(both[at] > 0).as("(%d, %d) two-sided", i, j).isEqualTo(Math.abs(i - j) <= 1);
                        assertThat(back[at] > 0).as("(%d, %d) causal", i, j).isEqualTo(j <= i && j >= i - 1);
                    }
                }
            }
            // the window equals a hand-built band mask
            float[] band = new float[25];
            for (int i = 0; i < 5; i++) {
                for (int j = Math.max(0, i - 1); j <= Math.min(4, i + 1); j++) {
                    band[i * 5 + j] = 1;
                }
            }
            Tensor byMask = ScaledDotProductAttention.apply(q, k, v, Mask.keepWhere(Tensor.of(be, band, 5, 5)), false, 0f, Seed.of(0L));
            Golden.assertArrayClose("local vs band", byMask.toFloatArray(),
                    new LocalAttention(1, false).forward(q, k, v, null, false).output().toFloatArray(), 0);
        }
    }

    @Test
    void localAttentionGradientsWithKeyPadding() {
        try (Scope s = Tensor.scope()) {
            Tensor q = Tensor.normal(be, 0, 1, Seed.of(4), 2, 4, 3).requiresGrad(true);
            Tensor k = Tensor.normal(be, 0, 1, Seed.of(5), 2, 4, 3).requiresGrad(true);
            Tensor v = Tensor.normal(be, 0, 1, Seed.of(6), 2, 4, 2).requiresGrad(true);
            Tensor g = Tensor.normal(be, 0, 1, Seed.of(7), 2, 4, 2);
            Mask pad = Mask.keepLengths(be, new int[] {4, 2}, 4);
            LocalAttention local = new LocalAttention(1, false);
            GradCheck.check(() -> local.forward(q, k, v, pad, false).output().mul(g).sum(), List.of(q, k, v), 1e-2f, 2e-3);
        }
    }

    @Test
    void localMOnTheWindowedKernelEqualsItsBandMaskWithPaddingCausalAndFewerQueries() {
        for (boolean causal : new boolean[] {false, true}) {
            try (Scope s = Tensor.scope()) {
                Tensor q = Tensor.normal(be, 0, 1, Seed.of(8), 2, 2, 3, 4).requiresGrad(true);
                Tensor k = Tensor.normal(be, 0, 1, Seed.of(9), 2, 2, 7, 4).requiresGrad(true);
                Tensor v = Tensor.normal(be, 0, 1, Seed.of(10), 2, 2, 7, 3).requiresGrad(true);
                Tensor g = Tensor.normal(be, 0, 1, Seed.of(11), 2, 2, 3, 3);
                Mask pad = Mask.keepLengths(be, new int[] {7, 5}, 7);
                LocalAttention local = new LocalAttention(2, causal);
                Tensor a = local.forward(q, k, v, pad, false).output();
                a.mul(g).sum().backward();
                float[][] ga = {q.grad().toFloatArray(), k.grad().toFloatArray(), v.grad().toFloatArray()};
                for (Tensor t : List.of(q, k, v)) {
                    t.zeroGrad();
                }
                Mask both = Mask.additive(pad.bias().reshape(2, 1, 1, 7).add(local.band(be, 3, 7).bias()));
                Tensor b = ScaledDotProductAttention.apply(q, k, v, both, false, 0f, Seed.of(0L));
                b.mul(g).sum().backward();
                Golden.assertArrayClose("output, causal " + causal, b.toFloatArray(), a.toFloatArray(), 1e-6);
                List<Tensor> leaves = List.of(q, k, v);
                for (int n = 0; n < 3; n++) {
                    Golden.assertArrayClose("gradient " + n + ", causal " + causal, leaves.get(n).grad().toFloatArray(),
                            ga[n], 1e-6);
                }
            }
        }
    }

    @Test
    void sinusoidalTableFollowsThePaper() {
        try (Scope s = Tensor.scope()) {
            SinusoidalPositionalEncoding pe = new SinusoidalPositionalEncoding(be, 6, 10);
            float[] t = pe.table().toFloatArray();
            assertThat(t[0]).isEqualTo(0f);
            assertThat(t[1]).isEqualTo(1f);
            assertThat(t[6]).isCloseTo((float) Math.sin(1), within(1e-7f));
            assertThat(t[7]).isCloseTo((float) Math.cos(1), within(1e-7f));
            assertThat(t[3 * 6 + 4]).isCloseTo((float) Math.sin(3 / Math.pow(10000, 4.0 / 6)), within(1e-7f));
            assertThat(t[3 * 6 + 5]).isCloseTo((float) Math.cos(3 / Math.pow(10000, 4.0 / 6)), within(1e-7f));
            Tensor x = Tensor.zeros(be, 2, 3, 6);
            float[] shifted = pe.forward(x, 2).toFloatArray();
            assertThat(shifted[0]).isEqualTo(t[12]);
            assertThat(shifted[18 + 17]).isEqualTo(t[4 * 6 + 5]);
            assertThatThrownBy(() -> pe.forward(x, 8)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("[8, 11)").hasMessageContaining("maxLength 10");
        }
    }

    @Test
    void learnedEncodingTrainsTheRowsItUses() {
        try (Scope s = Tensor.scope()) {
            LearnedPositionalEncoding pe = new LearnedPositionalEncoding(be, 6, 4, Seed.of(1));
            assertThat(pe.namedParameters().keySet()).containsExactly("weight");
            Tensor x = Tensor.zeros(be, 2, 3, 4);
            pe.forward(x, 1).sum().backward();
            float[] grad = pe.namedParameters().get("weight").grad().toFloatArray();
            for (int pos = 0; pos < 6; pos++) {
                assertThat(grad[pos * 4]).as("position %d", pos).isEqualTo(pos >= 1 && pos <= 3 ? 2f : 0f);
            }
        }
    }
}
