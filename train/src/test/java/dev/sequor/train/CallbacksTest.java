package dev.sequor.train;

import dev.sequor.core.Tensor;
import dev.sequor.io.ModelFile;
import dev.sequor.nn.Sequential;
import dev.sequor.optim.Sgd;
import dev.sequor.optim.SgdConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CallbacksTest {

    @Test
    void bestCheckpointKeepsTheModelOfTheBestValidation(@TempDir Path dir) {
        Sequential model = TrainerTest.mlp(4);
        Path best = dir.resolve("best.safetensors");
        BestCheckpoint keep = new BestCheckpoint(best, "mlp", "{}", null, "val_loss", false);
        // flipped validation labels: val_loss is lowest early, so the best model is not the last one
        List<Tensor[]> val = Collections.singletonList(TrainerTest.collate(TrainerTest.points(8, 100, true)));
        Trainer<Tensor[]> t = TrainerTest.trainer(model).validation(val, 4).callbacks(keep);
        History h = t.fit(Datasets.batches(TrainerTest.points(1, 128, false), 16, true, 3, TrainerTest::collate), 4);
        double[] v = h.series("val_loss");
        int argmin = 0;
        for (int i = 1; i < v.length; i++) {
            argmin = v[i] < v[argmin] ? i : argmin;
        }
        assertThat(keep.bestStep()).isEqualTo(h.rows().get(argmin).step()).isLessThan(t.step());
        ModelFile.Loaded f = ModelFile.read(best, "mlp");
        assertThat(f.metadata().get("sequor.train.step")).isEqualTo(Integer.toString(keep.bestStep()));
        Sequential reloaded = TrainerTest.mlp(77);
        ModelFile.restore(f, reloaded);
        double reval = TrainerTest.trainer(reloaded).evaluate(val).get("loss");
        assertThat(reval).isCloseTo(v[argmin], within(1e-6));
    }

    @Test
    void progressPrinterPrintsStepsAndEveryValidationColumn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Sequential model = TrainerTest.mlp(4);
        List<Tensor[]> val = Collections.singletonList(TrainerTest.collate(TrainerTest.points(8, 50, false)));
        TrainerTest.trainer(model).validation(val, 5).callbacks(new ProgressPrinter(out, false, 0.0))
                .fit(Datasets.batches(TrainerTest.points(1, 80, false), 16, true, 3, TrainerTest::collate), 2);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("step 1/10  loss ").contains("step 10/10  loss ")
                .contains("step 5  loss ").contains("val_accuracy ");
        assertThat(text.lines().filter(l -> l.contains("val_loss"))).hasSize(2);
    }

    @Test
    void teacherForcingSchedulesAndMixing() {
        assertThat(TeacherForcing.always().probability(1_000_000)).isEqualTo(1.0);
        TeacherForcing inv = TeacherForcing.inverseSigmoid(10);
        assertThat(inv.probability(0)).isCloseTo(10 / 11.0, within(1e-12));
        assertThat(inv.probability(50)).isCloseTo(10 / (10 + Math.exp(5)), within(1e-12));
        assertThat(TeacherForcing.linear(100, 0.25).probability(50)).isEqualTo(0.5);
        assertThat(TeacherForcing.linear(100, 0.25).probability(90)).isEqualTo(0.25);
        float[] gold = {5, 6, 0, 7};
        float[] own = {1, 2, 3, 4};
        assertThat(TeacherForcing.choose(gold, own, 0.0, new SplittableRandom(1), 0, false)).containsExactly(1, 2, 0, 4);
        assertThat(TeacherForcing.choose(gold, own, 1.0, new SplittableRandom(1), 0, false)).containsExactly(5, 6, 0, 7);
        assertThat(TeacherForcing.choose(gold, own, 0.0, new SplittableRandom(1), 0, true)).containsExactly(5, 6, 0, 7);
        // a near one-hot row samples its peak
        float[] sampled = TeacherForcing.sample(Tensor.of(new float[] {0, 40, 0, 0, 0, 40}, 2, 1, 3), new SplittableRandom(3));
        assertThat(sampled).containsExactly(1, 2);
    }

    @Test
    void theLoopHandsTheScheduleAndSeededDrawsToTheForwardPass() {
        Sequential model = TrainerTest.mlp(4);
        double[] seen = new double[4];
        long[] draws = new long[4];
        Trainer<Tensor[]> t = Trainer.<Tensor[]>of((b, info) -> {
            seen[info.step()] = info.teacherProb();
            draws[info.step()] = info.rng().nextLong();
            return Prediction.of(model.forward(b[0]), b[1]);
        }, model).optimizer(m -> new Sgd(m, SgdConfig.of(0.1)))
                .teacherForcing(TeacherForcing.inverseSigmoid(2)).seed(9);
        t.fit(Collections.nCopies(4, TrainerTest.collate(TrainerTest.points(1, 8, false))), 1);
        for (int s = 0; s < 4; s++) {
            assertThat(seen[s]).isEqualTo(TeacherForcing.inverseSigmoid(2).probability(s));
        }
        assertThat(draws[0]).isNotEqualTo(draws[1]);
    }
}
