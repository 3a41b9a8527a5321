package dev.sequor.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchesTest {

    @Test
    void padRightPadsToTheLongestRowAndRecordsLengths() {
        List<int[]> seqs = List.of(new int[] {5, 6, 7}, new int[] {8}, new int[] {1, 2});
        PaddedBatch b = Batches.pad(seqs, new int[] {1, 0, 2}, 0);
        assertThat(b.ids().shape()).containsExactly(3, 3);
        assertThat(b.ids().toFloatArray()).containsExactly(8, 0, 0, 5, 6, 7, 1, 2, 0);
        assertThat(b.lengths()).containsExactly(1, 3, 2);
        assertThat(b.indices()).containsExactly(1, 0, 2);
        assertThat(b.tokens()).isEqualTo(6);
        assertThatThrownBy(() -> Batches.pad(List.of(new int[0]), new int[] {0}, 0)).hasMessageContaining("empty");
        assertThat(b.mask().toFloatArray()).containsExactly(1, 0, 0, 1, 1, 1, 1, 1, 0);
        assertThat(b.gather(new float[] {10, 11, 12}).toFloatArray()).containsExactly(11, 10, 12);
        assertThat(Batches.source(seqs, 2, 0, 5, 0).epoch(1)).hasSize(2);
    }

    @Test
    void shuffleIsAPermutationReproducibleFromSeedAndEpoch() {
        int[] a = Batches.shuffledOrder(50, 42, 0);
        assertThat(Batches.shuffledOrder(50, 42, 0)).containsExactly(a);
        assertThat(a.clone()).satisfies(x -> {
            Arrays.sort(x);
            for (int i = 0; i < x.length; i++) {
                assertThat(x[i]).isEqualTo(i);
            }
        });
        assertThat(Batches.shuffledOrder(50, 42, 1)).isNotEqualTo(a);
        assertThat(Batches.shuffledOrder(50, 43, 0)).isNotEqualTo(a);
    }

    @Test
    void bucketedEpochCoversEverySequenceOnceWithLessPadding() {
        List<int[]> seqs = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < 64; i++) {
            seqs.add(new int[1 + r.nextInt(20)]);
        }
        int plainCells = 0;
        int bucketCells = 0;
        boolean[] seen = new boolean[64];
        for (PaddedBatch b : Batches.epoch(seqs, 8, 0, 7, 0, 0)) {
            plainCells += b.ids().shape()[0] * b.ids().shape()[1];
        }
        List<PaddedBatch> bucketed = Batches.epoch(seqs, 8, 0, 7, 0, 32);
        for (PaddedBatch b : bucketed) {
            bucketCells += b.ids().shape()[0] * b.ids().shape()[1];
            for (int i : b.indices()) {
                assertThat(seen[i]).isFalse();
                seen[i] = true;
            }
        }
        assertThat(seen).doesNotContain(false);
        assertThat(bucketCells).isLessThan(plainCells);
        assertThat(Batches.epoch(seqs, 8, 0, 7, 0, 32).get(0).indices()).containsExactly(bucketed.get(0).indices());
    }
}
