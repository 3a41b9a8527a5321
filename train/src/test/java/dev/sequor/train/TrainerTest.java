package dev.sequor.train;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.io.TensorData;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Module;
import dev.sequor.nn.Sequential;
import dev.sequor.nn.Tanh;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.optim.CosineAnnealingLr;
import dev.sequor.optim.LinearWarmup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TrainerTest {

    /** A labelled 2-D point: class 1 when x and y have the same sign (XOR of signs, not linearly separable). */
    record Point(float x, float y, int label) {
    }

    static List<Point> points(long seed, int n, boolean flipLabels) {
        Random r = new Random(seed);
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float x = (float) (r.nextDouble() * 2 - 1);
            float y = (float) (r.nextDouble() * 2 - 1);
            if (Math.abs(x) < 0.1 || Math.abs(y) < 0.1) {
                i--;
                continue;                    // a margin keeps the task learnable to high accuracy
            }
            int label = (x > 0) == (y > 0) ? 1 : 0;
            out.add(new Point(x, y, flipLabels ? 1 - label : label));
        }
        return out;
    }

    /** @return the points as {x (B, 2), y (B)} */
    static Tensor[] collate(List<Point> ps) {
        float[] x = new float[ps.size() * 2];
        float[] y = new float[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            x[2 * i] = ps.get(i).x();
            x[2 * i + 1] = ps.get(i).y();
            y[i] = ps.get(i).label();
        }
        return new Tensor[] {Tensor.of(x, ps.size(), 2), Tensor.of(y, ps.size())};
    }

    static Sequential mlp(long seed) {
        return new Sequential(new Linear(2, 16, Seed.of(seed)), new Tanh(), new Linear(16, 2, Seed.of(seed + 1)));
    }

    static Trainer<Tensor[]> trainer(Sequential model) {
        return Trainer.<Tensor[]>of((b, info) -> Prediction.of(model.forward(b[0]), b[1]), model)
                .optimizer(m -> new Adam(m, AdamConfig.adam(0.03)))
                .metrics(Metrics.accuracy());
    }

    @Test
    void fitLearnsXorOfSignsToNinetyFivePercentHeldOut() {
        Sequential model = mlp(3);
        Trainer<Tensor[]> t = trainer(model).clipGradNorm(5.0);
        EpochSource<Tensor[]> train = Datasets.batches(points(1, 512, false), 32, true, 11, TrainerTest::collate);
        List<Tensor[]> held = Collections.singletonList(collate(points(9, 400, false)));
        double before = t.evaluate(held).get("accuracy");
        History h = t.validation(held, 50).fit(train, 12);
        Map<String, Double> after = t.evaluate(held);
        assertThat(before).isLessThan(0.8);
        assertThat(after.get("accuracy")).isGreaterThanOrEqualTo(0.95);
        assertThat(t.step()).isEqualTo(12 * 16);
        assertThat(h.rows()).hasSize(12 * 16 / 50 + 1);
        assertThat(h.last().values()).containsKeys("loss", "accuracy", "val_loss", "val_accuracy");
        assertThat(h.last().values().get("val_accuracy")).isEqualTo(after.get("accuracy"));
        List<TensorData> out = t.predict(held);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).shape()).containsExactly(400, 2);
    }

    @Test
    void earlyStoppingStopsWhenValidationLossStopsFalling() {
        Sequential model = mlp(5);
        // validation labels are the opposite of the training labels: the better the fit, the worse val_loss
        List<Tensor[]> val = Collections.singletonList(collate(points(8, 200, true)));
        EarlyStopping stop = EarlyStopping.onValLoss(2);
        Trainer<Tensor[]> t = trainer(model).validation(val, 10).callbacks(stop);
        History h = t.fit(Datasets.batches(points(1, 256, false), 32, true, 3, TrainerTest::collate), 50);
        assertThat(stop.stoppedAt()).isPositive().isEqualTo(t.step());
        assertThat(t.step()).isLessThan(100);
        double[] v = h.series("val_loss");
        double best = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        for (double x : v) {
            sinceBest = x < best ? 0 : sinceBest + 1;
            best = Math.min(best, x);
        }
        assertThat(sinceBest).isEqualTo(2);
    }

    private static Trainer<Tensor[]> scheduled(Sequential model) {
        return trainer(model).clipGradNorm(0.5).seed(4)
                .schedule(o -> new LinearWarmup(5, new CosineAnnealingLr(o, 40, 1e-3)));
    }

    @Test
    void resumeContinuesToTheParametersOfAnUnbrokenRun(@TempDir Path dir) {
        EpochSource<Tensor[]> data = Datasets.batches(points(2, 96, false), 16, true, 7, TrainerTest::collate);
        Sequential unbroken = mlp(1);
        Trainer<Tensor[]> whole = scheduled(unbroken);
        whole.fit(data, 7);                                    // 42 steps

        Path ckpt = dir.resolve("run.safetensors");
        Sequential first = mlp(1);
        Trainer<Tensor[]> a = scheduled(first).maxSteps(17).checkpoint(ckpt, 1000);
        a.fit(data, 7);                                        // stops in epoch 2, batch 5 of 6
        assertThat(a.step()).isEqualTo(17);

        Sequential resumed = mlp(99);                          // other weights: all must come from the file
        Trainer<Tensor[]> b = scheduled(resumed).resume(ckpt);
        assertThat(b.step()).isEqualTo(17);
        assertThat(b.epoch()).isEqualTo(2);
        b.fit(data, 7);
        assertThat(b.step()).isEqualTo(42);
        assertSameParameters(resumed, unbroken);
        assertThat(b.optimizerInstance().lr()).isEqualTo(whole.optimizerInstance().lr());
    }

    static void assertSameParameters(Module actual, Module expected) {
        Map<String, Tensor> e = expected.stateDict();
        actual.stateDict().forEach((k, v) -> assertThat(v.toFloatArray()).as(k).containsExactly(e.get(k).toFloatArray()));
        assertThat(actual.stateDict().keySet()).containsExactlyElementsOf(e.keySet());
    }

    @Test
    void metricsLogWritesCsvAndPng(@TempDir Path dir) throws Exception {
        Sequential model = mlp(2);
        Path csv = dir.resolve("metrics.csv");
        Path png = dir.resolve("loss.png");
        List<Tensor[]> val = Collections.singletonList(collate(points(8, 100, false)));
        trainer(model).validation(val, 8).callbacks(new MetricsLog(csv, png))
                .fit(Datasets.batches(points(1, 128, false), 16, true, 3, TrainerTest::collate), 3);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("step,epoch,lr,loss,accuracy,val_loss,val_accuracy");
        assertThat(lines).hasSize(1 + 3);
        assertThat(lines.get(1)).startsWith("8,0,0.0300000,");
        assertThat(lines.get(3).split(",")).hasSize(7);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(400);
        int blue = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                blue += (img.getRGB(x, y) & 0xFFFFFF) == 0x1F77B4 ? 1 : 0;
            }
        }
        assertThat(blue).as("pixels of the loss line").isGreaterThan(50);
    }
}
