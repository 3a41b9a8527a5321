package dev.sequor.io;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Embedding;
import dev.sequor.optim.Sgd;
import dev.sequor.optim.SgdConfig;
import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The word2vec text format, and pretrained vectors in a frozen or trainable Embedding. */
class Word2VecTextTest {

    private static final Backend BE = Backends.get("reference");

    private static Word2VecText read(String text) throws IOException {
        return Word2VecText.read(new BufferedReader(new StringReader(text)), BE, "vec.txt");
    }

    @Test
    void readsWithAndWithoutHeaderAndRoundTrips() throws IOException {
        Word2VecText a = read("3 2\nthe 0.5 -1\ncat 2 3e-2\n\ndog 1 1\n");
        assertThat(a.words()).containsExactly("the", "cat", "dog");
        assertThat(a.vectors().toFloatArray()).containsExactly(0.5f, -1f, 2f, 0.03f, 1f, 1f);
        assertThat(a.index()).containsEntry("dog", 2);
        Word2VecText glove = read("the 0.5 -1 4\ncat 2 3 1\n");
        assertThat(glove.vectors().shape()).containsExactly(2, 3);
        StringWriter w = new StringWriter();
        a.write(w);
        Word2VecText back = read(w.toString());
        assertThat(back.words()).isEqualTo(a.words());
        assertThat(back.vectors().toFloatArray()).containsExactly(a.vectors().toFloatArray());
    }

    @Test
    void malformedFilesNameTheLine() {
        assertThatThrownBy(() -> read("2 2\nthe 1 2\ncat 1\n")).hasMessageContaining("vec.txt:3")
                .hasMessageContaining("'cat' has 1 values, expected 2");
        assertThatThrownBy(() -> read("1 2\nthe 1 x\n")).hasMessageContaining("vec.txt:2").hasMessageContaining("'x'");
        assertThatThrownBy(() -> read("3 2\nthe 1 2\n")).hasMessageContaining("declares 3 words but 1");
        assertThatThrownBy(() -> new Word2VecText(List.of("a b"), Tensor.zeros(BE, 1, 2)).write(new StringWriter()))
                .hasMessageContaining("whitespace");
    }

    @Test
    void frozenPretrainedVectorsStayPutAndUnfrozenOnesTrain() throws IOException {
        Word2VecText v = read("2 2\na 1 2\nb 3 4\n");
        Embedding frozen = Embedding.fromPretrained(v.vectors(), null, true);
        assertThat(frozen.isFrozen()).isTrue();
        assertThat(frozen.forward(Tensor.of(BE, new float[] {1, 0}, 2)).toFloatArray()).containsExactly(3, 4, 1, 2);
        Sgd sgd = new Sgd(frozen.parameters(), SgdConfig.of(0.5));
        Tensor out = frozen.forward(Tensor.of(BE, new float[] {1}, 1));
        assertThat(out.requiresGrad()).isFalse();
        sgd.step();
        assertThat(frozen.weight().toFloatArray()).containsExactly(1, 2, 3, 4);

        Embedding live = Embedding.fromPretrained(v.vectors(), null, false);
        Sgd sgd2 = new Sgd(live.parameters(), SgdConfig.of(0.5));
        live.forward(Tensor.of(BE, new float[] {1}, 1)).sum().backward();
        sgd2.step();
        assertThat(live.weight().toFloatArray()).containsExactly(1, 2, 2.5f, 3.5f);
        assertThat(live.freeze(true).isFrozen()).isTrue();
    }
}
