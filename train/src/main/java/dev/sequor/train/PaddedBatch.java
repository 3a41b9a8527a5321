package dev.sequor.train;

import dev.sequor.core.Tensor;

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
}
