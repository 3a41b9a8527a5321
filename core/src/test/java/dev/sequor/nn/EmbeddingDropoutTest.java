package dev.sequor.nn;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import static dev.sequor.nn.Fixtures.BE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EmbeddingDropoutTest {

    @Test
    void embeddingLooksUpRowsForIdsOfAnyShape() {
        Embedding emb = new Embedding(BE, 6, 3, null, Seed.of(1));
        float[] w = emb.weight().toFloatArray();
        Tensor ids = Tensor.of(BE, new float[] {5, 0, 2, 2}, 2, 2);
        Tensor y = emb.forward(ids);
        assertThat(y.shape()).containsExactly(2, 2, 3);
        float[] v = y.toFloatArray();
        int[] picked = {5, 0, 2, 2};
        for (int i = 0; i < 4; i++) {
            for (int d = 0; d < 3; d++) {
                assertThat(v[i * 3 + d]).isEqualTo(w[picked[i] * 3 + d]);
            }
        }
        assertThat(emb.forward(Tensor.scalar(BE, 4)).shape()).containsExactly(3);
    }

    @Test
    void weightStartsStandardNormal() {
        float[] w = new Embedding(BE, 1000, 20, null, Seed.of(2)).weight().toFloatArray();
        double mean = 0;
        double sq = 0;
        for (float f : w) {
            mean += f;
            sq += (double) f * f;
        }
        mean /= w.length;
        assertThat(mean).isCloseTo(0, within(0.03));
        assertThat(Math.sqrt(sq / w.length - mean * mean)).isCloseTo(1, within(0.03));
    }

    @Test
    void paddingRowStartsAtZeroAndGetsNoGradient() {
        Embedding emb = new Embedding(BE, 5, 2, -1, Seed.of(3));
        assertThat(emb.paddingIdx()).isEqualTo(4);
        float[] w = emb.weight().toFloatArray();
        assertThat(new float[] {w[8], w[9]}).containsOnly(0f);
        Tensor ids = Tensor.of(BE, new float[] {4, 1, 1, 4, 3}, 5);
        Tensor g = Tensor.of(BE, Fixtures.uniform(4, 10, -1, 1), 5, 2);
        emb.forward(ids).backward(g);
        float[] gw = emb.weight().grad().toFloatArray();
        float[] gv = g.toFloatArray();
        assertThat(new float[] {gw[8], gw[9]}).containsOnly(0f);
        assertThat(gw[2]).isCloseTo(gv[2] + gv[4], within(1e-6f)); // id 1 repeats: gradients accumulate
        assertThat(gw[6]).isEqualTo(gv[8]);
        assertThat(gw[0]).isEqualTo(0f);
        Embedding plain = new Embedding(BE, 4, 3, null, Seed.of(5));
        Tensor some = Tensor.of(BE, new float[] {3, 0, 3}, 3);
        GradCheck.create().check("Embedding", t -> plain.forward(some), plain.weight());
    }

    @Test
    void outOfRangeIdNamesTheIdAndTheVocabularySize() {
        Embedding emb = new Embedding(BE, 10, 4, null, Seed.of(6));
        assertThatThrownBy(() -> emb.forward(Tensor.of(BE, new float[] {1, 12}, 2)))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("id 12").hasMessageContaining("vocabulary size 10");
        assertThatThrownBy(() -> emb.forward(Tensor.of(BE, new float[] {-1}, 1)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("id -1");
        assertThatThrownBy(() -> new Embedding(BE, 10, 4, 10, Seed.of(6)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("paddingIdx 10");
    }

    @Test
    void dropoutScalesKeptValuesAndDrawsAFreshReproducibleMaskEachCall() {
        Tensor x = Tensor.ones(BE, 4000);
        Dropout a = new Dropout(0.25f, Seed.of(7));
        float[] first = a.forward(x).toFloatArray();
        float[] second = a.forward(x).toFloatArray();
        int zeros = 0;
        for (float v : first) {
            assertThat(v == 0f || Math.abs(v - 1f / 0.75f) < 1e-6).isTrue();
            zeros += v == 0f ? 1 : 0;
        }
        assertThat(zeros / 4000.0).isCloseTo(0.25, within(0.03));
        assertThat(second).isNotEqualTo(first);
        Dropout b = new Dropout(0.25f, Seed.of(7));
        assertThat(b.forward(x).toFloatArray()).isEqualTo(first);
        assertThat(b.forward(x).toFloatArray()).isEqualTo(second);
        assertThat(b.step()).isEqualTo(2);
        b.eval();
        Tensor y = b.forward(x);
        assertThat(y.toFloatArray()).containsOnly(1f);
        assertThat(new Dropout(1f, Seed.of(1)).forward(x).toFloatArray()).containsOnly(0f);
        assertThatThrownBy(() -> new Dropout(1.5f, Seed.of(1))).hasMessageContaining("1.5");
    }

    @Test
    void dropoutGradientIsTheScaledMask() {
        Tensor x = Fixtures.param(8, -1, 1, 50);
        Tensor y = Functional.dropout(x, 0.5f, true, Seed.of(99));
        y.sum().backward();
        float[] ys = y.toFloatArray();
        float[] xs = x.toFloatArray();
        float[] g = x.grad().toFloatArray();
        for (int i = 0; i < 50; i++) {
            assertThat(g[i]).isEqualTo(ys[i] == 0f && xs[i] != 0f ? 0f : 2f);
        }
        GradCheck.create().check("dropout", t -> Functional.dropout(t[0], 0.3f, true, Seed.of(5)), x);
    }
}
