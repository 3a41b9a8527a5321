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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo trains with the library's fit; it takes exactly the steps of the hand loop it replaced. */
class DemoTrainingLoopTest {

    /** The demo's loop before it used {@code Trainer.fit}. */
    static void handLoop(Seq2Seq model, Vocabulary vocab, List<DateTask.Pair> data, int steps, int batchSize,
                         double lr, double sampling, long seed) {
        Adam opt = new Adam(model.module(), AdamConfig.adam(lr));
        SplittableRandom rng = new SplittableRandom(seed * 31 + 7);
        model.module().train();
        for (int step = 1; step <= steps; step++) {
            List<DateTask.Pair> pick = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                pick.add(data.get(rng.nextInt(data.size())));
            }
            double frac = (double) step / steps;
            opt.setLr(frac <= 0.5 ? lr : lr * (1 - 1.8 * (frac - 0.5)));
            double teacher = sampling > 0 ? Seq2SeqTraining.inverseSigmoid(step, sampling) : 1.0;
            try (var scope = Tensor.scope()) {
                Seq2SeqTraining.Batch b = Seq2SeqTraining.batch(pick, vocab, model.module().backend());
                Tensor l = model.loss(b, teacher, rng);
                l.backward();
                Clip.clipGradNorm(model.module().parameters(), 1.0, 2.0);
                opt.step();
                opt.zeroGrad();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 3.0})
    void fitTakesTheHandLoopsSteps(double sampling) {
        Vocabulary vocab = Vocabulary.of(DateTask.alphabet());
        List<DateTask.Pair> data = DateTask.sample(200, 1);
        Seq2SeqConfig cfg = new Seq2SeqConfig(vocab.size(), 8, 8, 16, "gru", "bahdanau", 1);
        Seq2Seq viaFit = new Seq2Seq(Backends.get(), cfg);
        Seq2Seq byHand = new Seq2Seq(Backends.get(), cfg);
        DemoCommand.train(viaFit, vocab, data, 8, 4, 3e-3, sampling, 1);
        handLoop(byHand, vocab, data, 8, 4, 3e-3, sampling, 1);
        Map<String, Tensor> want = byHand.module().stateDict();
        viaFit.module().stateDict().forEach((k, v) ->
                assertThat(v.toFloatArray()).as(k).containsExactly(want.get(k).toFloatArray()));
    }
}
