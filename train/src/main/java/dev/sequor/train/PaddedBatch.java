package dev.sequor.train;

import dev.sequor.core.Tensor;

import java.util.Arrays;

/**
 * A batch of {@code B} token sequences right-padded to the longest one, {@code T = max lengths[b]}.
 *
 * @param ids     {@code (B, T)} token ids as floats; {@code ids[b, t]} is the pad id for {@code t >= lengths[b]}
 * @param lengths {@code (B)} the unpadded length of each row
 * @param indices {@code (B)} the position of each row in the source sequence list
 */
public record PaddedBatch(Tensor ids, int[] lengths, int[] indices) {

    /** @return the number of rows {@code B} */
    public int size() {
        return lengths.length;
    }

    /** @return the number of real (unpadded) tokens, {@code sum_b lengths[b]} */
    public int tokens() {
        int n = 0;
        for (int l : lengths) {
            n += l;
        }
        return n;
    }

    /** @return {@code (B, T)} with 1 where {@code t < lengths[b]} (a real token) and 0 on padding */
    public Tensor mask() {
        int t = ids.size(1);
        float[] m = new float[lengths.length * t];
        for (int b = 0; b < lengths.length; b++) {
            Arrays.fill(m, b * t, b * t + lengths[b], 1f);
        }
        return Tensor.of(ids.backend(), m, lengths.length, t);
    }

    /**
     * @param perItem one value per source sequence (a class label), indexed like the sequence list
     * @return {@code (B)} with {@code perItem[indices[b]]}: the rows' labels in batch order
     */
    public Tensor gather(float[] perItem) {
        float[] out = new float[indices.length];
        for (int b = 0; b < indices.length; b++) {
            out[b] = perItem[indices[b]];
        }
        return Tensor.of(ids.backend(), out, indices.length);
    }
}
