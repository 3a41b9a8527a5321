package dev.sequor.spark;

import dev.sequor.core.Tensor;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores a language model: appends {@code perplexity} to rows whose {@code array<int>} column holds
 * token ids, {@code exp(-(1/(n-1)) Σ_{t<n-1} log p(x_{t+1} | x_{≤t}))} over each row's {@code n} tokens
 * (null for rows shorter than two tokens, which predict nothing).
 *
 * @param <M> the loaded language model
 */
public final class PerplexityScorer<M> implements BatchScorer<M> {
    private static final long serialVersionUID = 1L;

    private final String column;
    private final ClassifierScorer.Loader<M> loader;
    private final ClassifierScorer.Logits<M> logits;

    /**
     * @param logits the model's next-token logits {@code (B, T, V)}: position {@code t} predicts token {@code t+1}
     */
    public PerplexityScorer(String column, ClassifierScorer.Loader<M> loader, ClassifierScorer.Logits<M> logits) {
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
        return new StructType().add("perplexity", DataTypes.DoubleType, true);
    }

    @Override
    public List<Object[]> score(M model, List<Row> rows) {
        TokenBatch batch = TokenBatch.of(rows, column);
        Tensor z = logits.logits(model, batch);
        if (z.rank() != 3 || z.size(0) != batch.size() || z.size(1) != batch.maxLen()) {
            throw new IllegalStateException("PerplexityScorer: logits must be (B=" + batch.size() + ", T="
                    + batch.maxLen() + ", V), got " + Arrays.toString(z.shape()));
        }
        int t = z.size(1);
        int v = z.size(2);
        float[] lp = z.logSoftmax(2).toFloatArray();
        List<Object[]> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            int n = batch.lengths()[i];
            if (n < 2) {
                out.add(new Object[] {null});
                continue;
            }
            double nll = 0;
            for (int s = 0; s + 1 < n; s++) {
                int next = batch.tokens()[i][s + 1];
                if (next < 0 || next >= v) {
                    throw new IllegalArgumentException("PerplexityScorer: token " + next + " outside the vocabulary of "
                            + v + " in row " + i + " of the batch");
                }
                nll -= lp[(i * t + s) * v + next];
            }
            out.add(new Object[] {Math.exp(nll / (n - 1))});
        }
        return out;
    }
}
