package dev.sequor.cli;

import dev.sequor.cli.seq2seq.DateTask;
import dev.sequor.cli.seq2seq.Seq2Seq;
import dev.sequor.cli.seq2seq.Seq2SeqConfig;
import dev.sequor.cli.seq2seq.Seq2SeqTraining;
import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.optim.Clip;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The attention seq2seq model really learns the date task, on tiny settings. */
class Seq2SeqLearningTest {

    static final Vocabulary VOCAB = Vocabulary.of(DateTask.alphabet());

    /** Trains {@code steps} steps and returns {first loss, mean of the last 10 losses}. */
    static double[] train(Seq2Seq model, List<DateTask.Pair> data, int steps, double teacher) {
        Adam opt = new Adam(model, AdamConfig.adam(5e-3));
        SplittableRandom rng = new SplittableRandom(5);
        double first = 0;
        double tail = 0;
        for (int s = 0; s < steps; s++) {
            try (var scope = Tensor.scope()) {
                var batch = Seq2SeqTraining.batch(data.subList((s * 32) % (data.size() - 32), (s * 32) % (data.size() - 32) + 32),
                        VOCAB, model.backend());
                Tensor loss = Seq2SeqTraining.loss(model, batch, teacher, rng);
                loss.backward();
                Clip.clipGradNorm(model.parameters(), 1.0, 2.0);
                opt.step();
                opt.zeroGrad();
                float l = loss.item();
                if (s == 0) {
                    first = l;
                }
                if (s >= steps - 10) {
                    tail += l / 10;
                }
            }
        }
        return new double[] {first, tail};
    }

    static double charAccuracy(Seq2Seq model, List<DateTask.Pair> pairs) {
        List<String> got = Seq2SeqTraining.translate(model, VOCAB, pairs, 100, 12);
        int ok = 0;
        int total = 0;
        for (int i = 0; i < pairs.size(); i++) {
            String want = pairs.get(i).target();
            for (int j = 0; j < want.length(); j++) {
                ok += j < got.get(i).length() && got.get(i).charAt(j) == want.charAt(j) ? 1 : 0;
                total++;
            }
        }
        return (double) ok / total;
    }

    @Test
    void teacherForcedTrainingLearnsDates() {
        Backend be = Backends.get();
        Seq2Seq model = new Seq2Seq(be, new Seq2SeqConfig(VOCAB.size(), 16, 24, 48, "gru", "luong", 3));
        List<DateTask.Pair> data = DateTask.sample(4000, 11);
        List<DateTask.Pair> held = DateTask.sample(200, 12);
        double before = charAccuracy(model, held);
        double[] loss = train(model, data, 250, 1.0);
        double after = charAccuracy(model, held);
        // ln(V) ~ 4.2 at the start; a model that only learned the layout "dddd-dd-dd" sits near 1.6.
        assertThat(loss[0]).isGreaterThan(3.5);
        assertThat(loss[1]).isLessThan(0.6 * loss[0]).isLessThan(1.2);
        // chance over ~70 symbols is ~1.5%; "19"/"20" and the dashes alone give ~40%
        assertThat(after).isGreaterThan(0.6).isGreaterThan(before + 0.3);
    }

    @Test
    void scheduledSamplingTrainsToo() {
        Backend be = Backends.get();
        Seq2Seq model = new Seq2Seq(be, new Seq2SeqConfig(VOCAB.size(), 16, 16, 32, "lstm", "bahdanau", 4));
        double[] loss = train(model, DateTask.sample(2000, 21), 60, 0.75);
        assertThat(loss[1]).isLessThan(0.75 * loss[0]);
    }

    @Test
    void inverseSigmoidDecaysFromNearOne() {
        assertThat(Seq2SeqTraining.inverseSigmoid(0, 100)).isGreaterThan(0.99);
        assertThat(Seq2SeqTraining.inverseSigmoid(460, 100)).isCloseTo(0.5, org.assertj.core.api.Assertions.within(0.01));
        assertThat(Seq2SeqTraining.inverseSigmoid(1000, 100)).isLessThan(0.01);
    }
}
