package dev.sequor.spark;

import dev.sequor.core.Seed;
import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Embedding;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Losses;
import dev.sequor.nn.Module;
import dev.sequor.nn.recurrent.Lstm;
import dev.sequor.nn.recurrent.LstmConfig;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.optim.Optimizer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The numbers behind the README's Spark section, on {@code local[2]}: a training step of a
 * ~1M-parameter LSTM classifier split into compute and all-reduce, the bytes each worker sends per
 * step, against one process with the same global batch; and scoring throughput against scoring in
 * one process. Run by {@code bench/run-spark.sh}; not a test.
 */
public final class SparkScalingBench {
    static final int VOCAB = 2000;

    /** Embedding(2000, 128) -> LSTM(128 -> 384) -> Linear(384, 2): 1,052,418 parameters. */
    static final class Model extends Module {
        final Embedding embed = registerModule("embed", new Embedding(VOCAB, 128, Seed.of(1)));
        final Lstm lstm = registerModule("lstm", new Lstm(LstmConfig.of(128, 384)));
        final Linear head = registerModule("head", new Linear(384, 2, Seed.of(2)));

        Tensor logits(TokenBatch b) {
            Tensor x = embed.forward(b.ids(backend(), 0));                       // (B, T, 128)
            return head.forward(lstm.forward(x, null, b.lengths()).hN().select(0, 0)); // (B, 2)
        }
    }

    record Seq(int[] tokens, int label) implements Serializable {
    }

    static final class Spec implements ReplicaSpec<Seq> {
        @Override
        public Module build() {
            return new Model();
        }

        @Override
        public Optimizer optimizer(Module model) {
            return new Adam(model, AdamConfig.adam(1e-3));
        }

        @Override
        public Tensor loss(Module model, List<Seq> batch) {
            float[] y = new float[batch.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = batch.get(i).label();
            }
            Tensor z = ((Model) model).logits(TokenBatch.of(batch.stream().map(Seq::tokens).toArray(int[][]::new)));
            return Losses.crossEntropy(z, Tensor.of(model.backend(), y, y.length));
        }
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Seq> data = data(4096, 20);
        Spec spec = new Spec();
        System.out.printf("model parameters: %,d%n", new Model().parameters().stream().mapToLong(Tensor::numel).sum());
        SyncConfig cfg = SyncConfig.sync(2, 64, steps, 1).withStepsPerJob(steps);
        SyncTrainer.fitLocal(data, spec, cfg.withSteps(2)); // warm-up
        SyncTrainer.fit(SparkTests.context(), data, spec, cfg.withSteps(2), null, false);
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            TrainResult local = SyncTrainer.fitLocal(data, spec, cfg);
            long t1 = System.nanoTime();
            TrainResult spark = SyncTrainer.fit(SparkTests.context(), data, spec, cfg, null, false);
            long t2 = System.nanoTime();
            System.out.printf("round %d  one process B64: %.1f ms/step | local[2] 2 workers B64: %.1f ms/step wall"
                            + " (worker 0: compute %.1f, all-reduce %.1f ms/step), %,d bytes sent per worker per step%n",
                    r, (t1 - t0) / 1e6 / steps, (t2 - t1) / 1e6 / steps, spark.computeNanos() / 1e6 / steps,
                    spark.reduceNanos() / 1e6 / steps, spark.bytesPerStep());
        }
        scoring(rounds);
        SparkTests.session().stop();
    }

    private static void scoring(int rounds) throws Exception {
        List<Seq> data = data(4000, 20);
        Path ck = Files.createTempFile("bench", ".safetensors");
        Model m = new Model();
        TrainingState.write(ck, TrainingState.encode(m, new Adam(m, AdamConfig.adam(1e-3)), 0, "bench", "{}"));
        byte[] bytes = Files.readAllBytes(ck);
        ClassifierScorer<Model> scorer = new ClassifierScorer<>("tokens", b -> {
            Model x = new Model();
            TrainingState.loadModel(b, "bench", x);
            return x;
        }, Model::logits);
        StructType schema = new StructType().add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, false));
        List<Row> rows = new ArrayList<>();
        for (Seq s : data) {
            rows.add(RowFactory.create(Arrays.stream(s.tokens()).boxed().toList()));
        }
        Dataset<Row> df = SparkTests.session().createDataFrame(rows, schema).repartition(2).cache();
        df.count();
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            try (var scope = Tensor.scope(); Grad g = Grad.disabled()) {
                for (int i = 0; i < data.size(); i += 64) {
                    List<Seq> batch = data.subList(i, Math.min(data.size(), i + 64));
                    m.logits(TokenBatch.of(batch.stream().map(Seq::tokens).toArray(int[][]::new))).softmax(1)
                            .toFloatArray();
                }
            }
            long t1 = System.nanoTime();
            long n = SparkScoring.score(SparkTests.session(), df, bytes, scorer, 64).count();
            long t2 = System.nanoTime();
            System.out.printf("round %d  scoring %d sequences: one process %.0f seq/s | local[2] %.0f seq/s%n", r, n,
                    data.size() / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9));
        }
        Files.deleteIfExists(ck);
    }

    private static List<Seq> data(int n, int len) {
        SplittableRandom rng = new SplittableRandom(3);
        List<Seq> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] t = new int[len];
            for (int j = 0; j < len; j++) {
                t[j] = 1 + rng.nextInt(VOCAB - 1);
            }
            out.add(new Seq(t, t[0] % 2));
        }
        return out;
    }
}
