package dev.sequor.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.List;

/**
 * How to score rows with a saved model: load it from checkpoint bytes (once per executor JVM), and
 * turn a batch of rows into the values of the new columns. Shipped to executors by serialization, so
 * an implementation holds configuration only.
 *
 * @param <M> the loaded model (shared by the executor's tasks: scoring must not mutate it)
 */
public interface BatchScorer<M> extends Serializable {

    /** @return the model, rebuilt from the bytes of its checkpoint file on the executor's default backend */
    M load(byte[] checkpoint);

    /** @return the columns {@link #score} appends, in order */
    StructType outputSchema();

    /**
     * Scores one batch. Runs with gradients disabled inside a tensor scope that frees every temporary.
     *
     * @param rows the batch (at most the batch size given to {@link SparkScoring#score})
     * @return one array of output values per row, in row order, matching {@link #outputSchema()}
     */
    List<Object[]> score(M model, List<Row> rows);
}
