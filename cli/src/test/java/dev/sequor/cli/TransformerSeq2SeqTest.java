package dev.sequor.cli;

import dev.sequor.cli.seq2seq.DateTask;
import dev.sequor.cli.seq2seq.Seq2SeqTraining;
import dev.sequor.cli.seq2seq.TransformerSeq2Seq;
import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.decode.BeamConfig;
import dev.sequor.decode.BeamSearch;
import dev.sequor.decode.GreedyDecoder;
import dev.sequor.decode.Hypothesis;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Transformer translator: it learns, and KV-cache decoding agrees with the full causal forward. */
class TransformerSeq2SeqTest {

    static final Vocabulary VOCAB = Vocabulary.of(DateTask.alphabet());

    static TransformerSeq2Seq trained(int steps) {
        TransformerSeq2Seq m = new TransformerSeq2Seq(Backends.get(),
                new TransformerSeq2Seq.Config(VOCAB.size(), 32, 4, 1, 64, 2));
        Adam opt = new Adam(m, AdamConfig.adam(3e-3));
        List<DateTask.Pair> data = DateTask.sample(steps * 16, 3);
        for (int s = 0; s < steps; s++) {
            try (var scope = Tensor.scope()) {
                var b = Seq2SeqTraining.batch(data.subList(s * 16, s * 16 + 16), VOCAB, m.backend());
                Tensor l = m.loss(b, 1.0, new SplittableRandom(0));
                l.backward();
                opt.step();
                opt.zeroGrad();
            }
        }
        return m;
    }

    /** log p(y | x) from one teacher-forced (causal, uncached) forward over the whole sequence. */
    static double fullLogProb(TransformerSeq2Seq m, DateTask.Pair src, int[] y) {
        try (Grad g = Grad.disabled(); var scope = Tensor.scope()) {
            var b = Seq2SeqTraining.batch(List.of(src), VOCAB, m.backend());
            float[] in = new float[y.length];
            in[0] = Vocabulary.START;
            for (int t = 1; t < y.length; t++) {
                in[t] = y[t - 1];
            }
            var forced = new Seq2SeqTraining.Batch(b.src(), b.lengths(), Tensor.of(m.backend(), in, 1, y.length),
                    b.target());
            Tensor lp = m.logits(forced).logSoftmax(2);
            float[] v = lp.toFloatArray();
            int vs = VOCAB.size();
            double sum = 0;
            for (int t = 0; t < y.length; t++) {
                sum += v[t * vs + y[t]];
            }
            return sum;
        }
    }

    @Test
    void cachedDecodingMatchesTheFullForwardAndTrainingHelps() {
        TransformerSeq2Seq m = trained(80);
        m.eval();
        List<DateTask.Pair> pairs = DateTask.sample(3, 99);
        try (Grad g = Grad.disabled(); var scope = Tensor.scope()) {
            for (DateTask.Pair p : pairs) {
                var b = Seq2SeqTraining.batch(List.of(p), VOCAB, m.backend());
                var greedy = GreedyDecoder.decode(m.stepDecoder(), m.start(b), new int[] {Vocabulary.START},
                        Vocabulary.END, 12);
                m.release(greedy.state());
                Hypothesis h = greedy.hypotheses().get(0);
                assertThat(h.logProb()).isCloseTo(fullLogProb(m, p, h.tokens()), within(1e-3));

                var start = m.start(b);
                List<Hypothesis> beam = BeamSearch.search(m.stepDecoder(), start, Vocabulary.START,
                        new BeamConfig(3, 0.0, 3, 12, Vocabulary.END));
                m.release(start);
                assertThat(beam.get(0).logProb()).isGreaterThanOrEqualTo(h.logProb() - 1e-4);
                for (Hypothesis bh : beam) {
                    // the reordered caches give every surviving hypothesis its own true score
                    assertThat(bh.logProb()).isCloseTo(fullLogProb(m, p, bh.tokens()), within(1e-3));
                }
            }
        }
        m.train();
        List<DateTask.Pair> held = DateTask.sample(100, 98);
        List<String> got = Seq2SeqTraining.translate(m, VOCAB, held, 50, 12);
        int ok = 0;
        int total = 0;
        for (int i = 0; i < held.size(); i++) {
            for (int j = 0; j < 10; j++) {
                ok += j < got.get(i).length() && got.get(i).charAt(j) == held.get(i).target().charAt(j) ? 1 : 0;
                total++;
            }
        }
        // chance is ~1/70 per character; 80 small steps already learn the layout (dashes, "19"/"20")
        assertThat((double) ok / total).isGreaterThan(0.2);
    }
}
