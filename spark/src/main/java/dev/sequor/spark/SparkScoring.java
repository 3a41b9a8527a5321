package dev.sequor.spark;

import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsException;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Batch inference over a cluster: a saved model scores every row of a {@code Dataset<Row>}.
 *
 * <p>The checkpoint is read and checked once on the driver (a missing or corrupt file fails here, with
 * Sequor's message, before a task runs), shipped once per executor as a broadcast, loaded once per
 * executor JVM ({@link ExecutorModels}), and applied per partition in batches of {@code batchSize} rows.
 * The result has every input column followed by the scorer's columns, row order kept within partitions.
 */
public final class SparkScoring {
    private SparkScoring() {
    }

    /**
     * @param checkpoint a checkpoint file on the driver
     * @throws IllegalArgumentException for a missing or corrupt checkpoint, or a clash of column names
     */
    public static <M> Dataset<Row> score(SparkSession spark, Dataset<Row> input, Path checkpoint,
                                         BatchScorer<M> scorer, int batchSize) {
        byte[] bytes = readCheckpoint(checkpoint);
        // Load once on the driver too: a checkpoint that does not fit the scorer fails before the job.
        scorer.load(bytes);
        return score(spark, input, bytes, scorer, batchSize);
    }

    /** As {@link #score(SparkSession, Dataset, Path, BatchScorer, int)} with checkpoint bytes already in hand. */
    public static <M> Dataset<Row> score(SparkSession spark, Dataset<Row> input, byte[] checkpoint,
                                         BatchScorer<M> scorer, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("SparkScoring: batchSize must be >= 1, got " + batchSize);
        }
        StructType in = input.schema();
        StructType out = in;
        for (StructField f : scorer.outputSchema().fields()) {
            if (List.of(in.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("SparkScoring: output column '" + f.name()
                        + "' already exists in the input " + in.simpleString());
            }
            out = out.add(f);
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> shared = sc.broadcast(checkpoint);
        long id = shared.id();
        JavaRDD<Row> scored = input.javaRDD().mapPartitions(rows -> {
            M model = ExecutorModels.get(id, () -> scorer.load(shared.value()));
            return new Batches<>(rows, model, scorer, batchSize);
        });
        return spark.createDataFrame(scored, out);
    }

    private static byte[] readCheckpoint(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("checkpoint " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read checkpoint " + file + ": " + e, e);
        }
        try {
            SafeTensors.read(bytes, file.toString());
        } catch (SafeTensorsException e) {
            throw new IllegalArgumentException("checkpoint " + file + " is corrupt or not a safetensors file: "
                    + e.getMessage(), e);
        }
        return bytes;
    }

    /** Pulls {@code batchSize} rows at a time from a partition and yields them with their scores appended. */
    private static final class Batches<M> implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final M model;
        private final BatchScorer<M> scorer;
        private final int batchSize;
        private final List<Row> ready = new ArrayList<>();
        private int next;

        Batches(Iterator<Row> rows, M model, BatchScorer<M> scorer, int batchSize) {
            this.rows = rows;
            this.model = model;
            this.scorer = scorer;
            this.batchSize = batchSize;
        }

        @Override
        public boolean hasNext() {
            if (next < ready.size()) {
                return true;
            }
            ready.clear();
            next = 0;
            List<Row> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize && rows.hasNext()) {
                batch.add(rows.next());
            }
            if (batch.isEmpty()) {
                return false;
            }
            List<Object[]> scores;
            try (var scope = Tensor.scope(); Grad g = Grad.disabled()) {
                scores = scorer.score(model, batch);
            }
            if (scores.size() != batch.size()) {
                throw new IllegalStateException("SparkScoring: the scorer returned " + scores.size() + " results for "
                        + batch.size() + " rows");
            }
            for (int i = 0; i < batch.size(); i++) {
                Row r = batch.get(i);
                Object[] v = new Object[r.length() + scores.get(i).length];
                for (int c = 0; c < r.length(); c++) {
                    v[c] = r.get(c);
                }
                System.arraycopy(scores.get(i), 0, v, r.length(), scores.get(i).length);
                ready.add(RowFactory.create(v));
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.get(next++);
        }
    }
}
