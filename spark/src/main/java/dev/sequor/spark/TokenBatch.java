package dev.sequor.spark;

import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;

import org.apache.spark.sql.Row;

import java.util.List;

/**
 * A batch of token-id sequences of different lengths, padded on the right, as the layers take them:
 * ids {@code (B, T)} with {@code T} the longest length, and a {@code lengths} array.
 *
 * @param tokens  each row's ids, unpadded
 * @param lengths each row's length
 * @param maxLen  {@code T}, at least 1
 */
public record TokenBatch(int[][] tokens, int[] lengths, int maxLen) {

    /**
     * Reads an {@code array<int>} column from each row.
     *
     * @throws IllegalArgumentException naming the column when a row's value is null or not an int array
     */
    public static TokenBatch of(List<Row> rows, String column) {
        int[][] tokens = new int[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int c = r.fieldIndex(column);
            if (r.isNullAt(c)) {
                throw new IllegalArgumentException("TokenBatch: column '" + column + "' is null in row " + r);
            }
            List<Object> list = r.getList(c);
            tokens[i] = new int[list.size()];
            for (int j = 0; j < list.size(); j++) {
                tokens[i][j] = ((Number) list.get(j)).intValue();
            }
        }
        return of(tokens);
    }

    /** @return the batch of these sequences (each non-null) */
    public static TokenBatch of(int[][] tokens) {
        int[] lengths = new int[tokens.length];
        int max = 1;
        for (int i = 0; i < tokens.length; i++) {
            lengths[i] = tokens[i].length;
            max = Math.max(max, lengths[i]);
        }
        return new TokenBatch(tokens, lengths, max);
    }

    /** @return the batch size {@code B} */
    public int size() {
        return tokens.length;
    }

    /** @return ids {@code (B, T)} as float indices, padded with {@code pad} */
    public Tensor ids(Backend backend, int pad) {
        float[] v = new float[size() * maxLen];
        for (int i = 0; i < size(); i++) {
            for (int t = 0; t < maxLen; t++) {
                v[i * maxLen + t] = t < lengths[i] ? tokens[i][t] : pad;
            }
        }
        return Tensor.of(backend, v, size(), maxLen);
    }
}
