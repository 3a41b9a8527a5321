package dev.sequor.cli.charlm;

import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Backends;
import dev.sequor.core.Grad;
import dev.sequor.core.Scope;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Losses;
import dev.sequor.nn.Reduction;
import dev.sequor.nn.recurrent.RecurrentOutput;
import dev.sequor.nn.recurrent.RecurrentState;
import dev.sequor.nn.recurrent.TruncatedBptt;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.optim.Clip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * charlm trains with the library's truncated-BPTT loop; it takes exactly the steps of the hand loop it
 * replaced (carried state across windows, reset at each pass, an update per chunk), scores validation the
 * same way, and writes its metrics beside the checkpoint.
 */
class CharLmTrainingLoopTest {

    @TempDir
    Path dir;

    private static final String TEXT = "the quick brown fox jumps over the lazy dog. ".repeat(12)
            + "pack my box with five dozen liquor jugs! ".repeat(6);

    /** charlm's loop before it used {@code Trainer.tbptt}. */
    private static void handLoop(CharLm model, CharLmData data, CharLmTrainer.Settings s, int vocabSize) {
        Adam opt = new Adam(model, AdamConfig.adam(s.lr()));
        int windows = data.windows(s.batch(), s.seq());
        TruncatedBptt tbptt = new TruncatedBptt(model.rnn(), s.tbptt());
        RecurrentState carried = null;
        model.train();
        for (int step = 0; step < s.steps(); step++) {
            int w = step % windows;
            if (w == 0) {
                carried = null;                                     // a new pass starts from zeros
            }
            int[][][] win = data.window(s.batch(), s.seq(), w);
            RecurrentState[] last = new RecurrentState[1];
            try (Scope scope = Tensor.scope()) {
                Tensor x = model.oneHot(win[0]);
                Tensor y = ids(model, win[1]);
                tbptt.train(x, carried, (RecurrentOutput o, int start) -> {
                    int len = o.output().size(1);
                    if (start + len == s.seq()) {
                        last[0] = Scope.unscoped(() -> o.state().detach());
                    }
                    return Losses.crossEntropy(model.logits(o.output()).reshape(s.batch() * len, vocabSize),
                            y.narrow(1, start, len).reshape(s.batch() * len), Losses.DEFAULT_IGNORE_INDEX,
                            Reduction.MEAN, 0f);
                }, start -> {
                    Clip.clipGradNorm(model.parameters(), s.clip(), 2.0);
                    opt.step();
                    opt.zeroGrad();
                });
            }
            carried = last[0];
        }
    }

    /** charlm's validation before it used {@code Trainer}: bits per character over parallel streams. */
    private static double handValidate(CharLm model, CharLmData data, CharLmTrainer.Settings s, int vocabSize) {
        int[] val = data.val();
        int n = Math.min(val.length - 1, s.valChars());
        int streams = Math.max(1, Math.min(s.batch(), n / s.seq()));
        int len = n / streams;
        double nats = 0;
        long count = 0;
        model.eval();
        try (Grad g = Grad.disabled()) {
            RecurrentState state = null;
            for (int start = 0; start < len; start += s.seq()) {
                int t = Math.min(s.seq(), len - start);
                int[][] in = new int[streams][t];
                int[][] out = new int[streams][t];
                for (int b = 0; b < streams; b++) {
                    System.arraycopy(val, b * len + start, in[b], 0, t);
                    System.arraycopy(val, b * len + start + 1, out[b], 0, t);
                }
                try (Scope scope = Tensor.scope()) {
                    RecurrentOutput o = model.run(in, state);
                    nats += Losses.crossEntropy(model.logits(o.output()).reshape(streams * t, vocabSize),
                            ids(model, out).reshape(streams * t), Losses.DEFAULT_IGNORE_INDEX, Reduction.SUM, 0f).item();
                    count += (long) streams * t;
                    state = Scope.unscoped(() -> o.state().detach());
                }
            }
        } finally {
            model.train();
        }
        return nats / count / Math.log(2);
    }

    private static Tensor ids(CharLm model, int[][] ids) {
        float[] f = new float[ids.length * ids[0].length];
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < ids[0].length; j++) {
                f[i * ids[0].length + j] = ids[i][j];
            }
        }
        return Tensor.of(model.backend(), f, ids.length, ids[0].length);
    }

    @Test
    void theLibraryLoopTakesTheHandLoopsStepsAndScoresValidationTheSameWay() throws Exception {
        Vocabulary vocab = CharLmData.vocabulary(TEXT);
        CharLmData data = new CharLmData(vocab.encode(TEXT), 0.2);
        // seq 20 in chunks of 8 (8, 8, 4); 4 streams give fewer windows than steps, so a pass restarts mid-run.
        CharLmTrainer.Settings s = new CharLmTrainer.Settings(4, 20, 8, 9, 1e-2, 1.0, 4, 10_000);
        assertThat(data.windows(s.batch(), s.seq())).isLessThan(s.steps());
        CharLmConfig cfg = new CharLmConfig(vocab.size(), 12, 2, "lstm", 0.0, 5);
        CharLm viaLoop = new CharLm(Backends.get(), cfg);
        CharLm byHand = new CharLm(Backends.get(), cfg);
        Path ck = dir.resolve("lm.safetensors");
        CharLmTrainer trainer = new CharLmTrainer(viaLoop, vocab, data, s, ck);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        double bpc = trainer.train(new PrintStream(log, true, StandardCharsets.UTF_8));
        handLoop(byHand, data, s, vocab.size());

        assertThat(trainer.step()).isEqualTo(9);
        Map<String, Tensor> want = byHand.stateDict();
        viaLoop.stateDict().forEach((k, v) ->
                assertThat(v.toFloatArray()).as(k).containsExactly(want.get(k).toFloatArray()));
        assertThat(bpc).isCloseTo(handValidate(byHand, data, s, vocab.size()), within(1e-5));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("step 4: validation").contains("step 8: validation")
                .contains("step 9: validation");

        Path[] files = CharLmTrainer.metricsFiles(ck);
        assertThat(files[0].getFileName().toString()).isEqualTo("lm.metrics.csv");
        List<String> csv = Files.readAllLines(files[0]);
        assertThat(csv.get(0)).contains("step").contains("bpc").contains("val_bpc");
        assertThat(csv).hasSize(4);                                   // header + steps 4, 8, 9
        assertThat(Files.readAllBytes(files[1])).startsWith(0x89, 'P', 'N', 'G');
    }
}
