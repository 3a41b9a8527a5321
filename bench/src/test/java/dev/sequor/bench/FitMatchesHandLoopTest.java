package dev.sequor.bench;

import dev.sequor.cli.DemoCommand;
import dev.sequor.cli.seq2seq.DateTask;
import dev.sequor.cli.seq2seq.Seq2Seq;
import dev.sequor.cli.seq2seq.Seq2SeqConfig;
import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo trains with the library's fit; it takes exactly the steps of the hand loop it replaced,
 * so {@link FitOverheadBench} times the same arithmetic on both sides.
 */
class FitMatchesHandLoopTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 3.0})
    void fitTakesTheHandLoopsSteps(double sampling) {
        Vocabulary vocab = Vocabulary.of(DateTask.alphabet());
        List<DateTask.Pair> data = DateTask.sample(200, 1);
        Seq2SeqConfig cfg = new Seq2SeqConfig(vocab.size(), 8, 8, 16, "gru", "bahdanau", 1);
        Seq2Seq viaFit = new Seq2Seq(Backends.get(), cfg);
        Seq2Seq byHand = new Seq2Seq(Backends.get(), cfg);
        DemoCommand.train(viaFit, vocab, data, 8, 4, 3e-3, sampling, 1);
        FitOverheadBench.handLoop(byHand, vocab, data, 8, 4, 3e-3, sampling, 1);
        Map<String, Tensor> want = byHand.module().stateDict();
        viaFit.module().stateDict().forEach((k, v) ->
                assertThat(v.toFloatArray()).as(k).containsExactly(want.get(k).toFloatArray()));
    }
}
