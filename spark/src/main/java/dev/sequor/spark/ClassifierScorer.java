package dev.sequor.spark;

import dev.sequor.core.Tensor;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores a sequence classifier: appends {@code label} (the arg-max class) and {@code probability}
 * (its softmax probability) to rows whose {@code array<int>} column holds token ids.
 *
 * @param <M> the loaded classifier
 */
public final class ClassifierScorer<M> implements BatchScorer<M> {
    private static final long serialVersionUID = 1L;

    /** Rebuilds the model from checkpoint bytes. */
    @FunctionalInterface
    public interface Loader<M> extends Serializable {
        /** @return the model of {@code checkpoint} */
        M load(byte[] checkpoint);
    }

    /** The classifier's forward pass. */
    @FunctionalInterface
    public interface Logits<M> extends Serializable {
        /** @return class logits {@code (B, C)} of the batch */
        Tensor logits(M model, TokenBatch batch);
    }

    private final String column;
    private final Loader<M> loader;
    private final Logits<M> logits;

    /**
     * @param column the input column of token ids ({@code array<int>})
     */
    public ClassifierScorer(String column, Loader<M> loader, Logits<M> logits) {
        this.column = column;
        this.loader = loader;
        this.logits = logits;
    }

    @Override
    public M load(byte[] checkpoint) {
        return loader.load(checkpoint);
    }

    @Override
    public StructType outputSchema() {
        return new StructType().add("label", DataTypes.IntegerType, false)
                .add("probability", DataTypes.DoubleType, false);
    }

    @Override
    public List<Object[]> score(M model, List<Row> rows) {
        TokenBatch batch = TokenBatch.of(rows, column);
        Tensor z = logits.logits(model, batch);
        if (z.rank() != 2 || z.size(0) != batch.size()) {
            throw new IllegalStateException("ClassifierScorer: logits must be (B=" + batch.size() + ", C), got "
                    + Arrays.toString(z.shape()));
        }
        float[] p = z.softmax(1).toFloatArray();
        int c = z.size(1);
        List<Object[]> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            int best = 0;
            for (int k = 1; k < c; k++) {
                if (p[i * c + k] > p[i * c + best]) {
                    best = k;
                }
            }
            out.add(new Object[] {best, (double) p[i * c + best]});
        }
        return out;
    }
}
