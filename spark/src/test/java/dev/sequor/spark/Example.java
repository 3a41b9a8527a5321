package dev.sequor.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A token sequence and its class: 1 when the first token is at least 6, so the label must be carried
 * through every step of the sequence.
 */
record Example(int[] tokens, int label) implements Serializable {

    static List<Example> generate(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] t = new int[3 + rng.nextInt(6)];
            for (int j = 0; j < t.length; j++) {
                t[j] = 1 + rng.nextInt(TinyClassifier.VOCAB - 1);
            }
            out.add(new Example(t, t[0] >= 6 ? 1 : 0));
        }
        return out;
    }
}
