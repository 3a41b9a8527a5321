package dev.sequor.spark;

import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsException;
import dev.sequor.io.TensorData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class SyncTrainingTest {
    private static final List<Example> DATA = Example.generate(256, 5);

    @Test
    void twoWorkersEqualOneProcessWithTheSameGlobalBatch() {
        SyncConfig cfg = SyncConfig.sync(2, 16, 20, 3).withStepsPerJob(20);
        TrainResult spark = SyncTrainer.fit(SparkTests.context(), DATA, new TinySpec(0.01, false), cfg, null, false);
        TrainResult local = SyncTrainer.fitLocal(DATA, new TinySpec(0.01, false), cfg);

        assertThat(spark.losses()).hasSize(20);
        assertThat(spark.losses()).containsExactly(local.losses(), offset(1e-5));
        assertSameParameters(spark.state(), local.state(), 1e-5);
        assertThat(spark.bytesPerStep()).isGreaterThan(0);
        // The run moved the parameters: equality is not the trivial one of two untouched replicas.
        assertThat(maxDifference(spark.state(), SyncTrainer.initialState(new TinySpec(0.01, false)))).isGreaterThan(1e-3);
    }

    @Test
    void aFailedTaskIsRetriedAndTrainingStillMatches(@TempDir Path dir) {
        SyncConfig cfg = SyncConfig.sync(2, 16, 12, 4).withStepsPerJob(6);
        TrainResult unbroken = SyncTrainer.fit(SparkTests.context(), DATA, new TinySpec(0.01, false), cfg, null, false);
        TinySpec.FAIL_AT_CALL.set(9);
        TrainResult retried = SyncTrainer.fit(SparkTests.context(), DATA, new TinySpec(0.01, true), cfg,
                dir.resolve("ck.safetensors"), false);

        assertThat(TinySpec.FAIL_AT_CALL.get()).isZero();
        assertSameParameters(retried.state(), unbroken.state(), 1e-6);
    }

    @Test
    void resumedRunEndsWhereAnUnbrokenRunEnds(@TempDir Path dir) {
        Path ck = dir.resolve("run.safetensors");
        SyncConfig cfg = SyncConfig.sync(2, 16, 8, 9).withStepsPerJob(4);
        TrainResult whole = SyncTrainer.fit(SparkTests.context(), DATA, new TinySpec(0.01, false), cfg, null, false);
        SyncTrainer.fit(SparkTests.context(), DATA, new TinySpec(0.01, false), cfg.withSteps(4), ck, false);
        assertThat(TrainingState.restoreStep(TrainingState.read(ck))).isEqualTo(4);
        TrainResult resumed = SyncTrainer.fit(SparkTests.context(), DATA, new TinySpec(0.01, false), cfg, ck, true);

        assertThat(resumed.losses()).hasSize(4);
        assertSameParameters(resumed.state(), whole.state(), 1e-6);
        assertThat(TrainingState.restoreStep(TrainingState.read(ck))).isEqualTo(8);
        // A new run never overwrites it.
        assertThatThrownBy(() -> SyncTrainer.fit(SparkTests.context(), DATA, new TinySpec(0.01, false), cfg, ck, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
    }

    @Test
    void aCorruptCheckpointFailsWithSequorsMessageBeforeAnyJob(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {42, 0, 0, 0, 0, 0, 0, 0, '{', '"'});
        assertThatThrownBy(() -> SyncTrainer.fit(SparkTests.context(), DATA, new TinySpec(0.01, false),
                SyncConfig.sync(2, 16, 4, 1), bad, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint " + bad + " is corrupt");
        assertThatThrownBy(() -> SyncTrainer.fit(SparkTests.context(), DATA, new TinySpec(0.01, false),
                SyncConfig.sync(2, 16, 4, 1), dir.resolve("missing.safetensors"), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }

    @Test
    void parameterAveragingLearnsTheTask() {
        SyncConfig cfg = SyncConfig.sync(2, 32, 150, 2).withStepsPerJob(50).withParameterAveraging(5);
        TrainResult r = SyncTrainer.fit(SparkTests.context(), DATA, new TinySpec(0.02, false), cfg, null, false);
        TinyClassifier model = TinyClassifier.load(r.state(), 2);
        List<Example> heldOut = Example.generate(200, 77);
        int[][] tokens = heldOut.stream().map(Example::tokens).toArray(int[][]::new);
        int correct = 0;
        try (var scope = Tensor.scope(); Grad g = Grad.disabled()) {
            float[] z = model.logits(TokenBatch.of(tokens)).toFloatArray();
            for (int i = 0; i < heldOut.size(); i++) {
                int pred = z[2 * i + 1] > z[2 * i] ? 1 : 0;
                correct += pred == heldOut.get(i).label() ? 1 : 0;
            }
        }
        assertThat(correct / (double) heldOut.size()).isGreaterThanOrEqualTo(0.9);
    }

    private static void assertSameParameters(byte[] a, byte[] b, double tol) {
        assertThat(maxDifference(a, b)).isLessThanOrEqualTo(tol);
    }

    private static double maxDifference(byte[] a, byte[] b) {
        Map<String, TensorData> ta;
        Map<String, TensorData> tb;
        try {
            ta = SafeTensors.read(a, "a").tensors();
            tb = SafeTensors.read(b, "b").tensors();
        } catch (SafeTensorsException e) {
            throw new AssertionError(e);
        }
        double max = 0;
        for (var e : ta.entrySet()) {
            if (e.getKey().startsWith(TrainingState.OPTIM_PREFIX)) {
                continue;
            }
            float[] x = e.getValue().data();
            float[] y = tb.get(e.getKey()).data();
            assertThat(y).as(e.getKey()).hasSameSizeAs(x);
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }
}
