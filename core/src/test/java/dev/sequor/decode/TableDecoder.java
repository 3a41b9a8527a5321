package dev.sequor.decode;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A hand-built decoder for tests: the state is each row's prefix of tokens so far, and the next
 * token's probabilities are a function of that prefix.
 */
final class TableDecoder implements StepDecoder<List<int[]>> {

    private final Function<int[], double[]> probs;
    int steps;
    int rowsStepped;

    TableDecoder(Function<int[], double[]> probs) {
        this.probs = probs;
    }

    static List<int[]> start(int rows) {
        List<int[]> s = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            s.add(new int[0]);
        }
        return s;
    }

    @Override
    public Step<List<int[]>> step(List<int[]> state, int[] tokens) {
        steps++;
        rowsStepped += tokens.length;
        List<int[]> next = new ArrayList<>();
        float[] logits = null;
        int v = 0;
        for (int r = 0; r < tokens.length; r++) {
            int[] prefix = Arrays.copyOf(state.get(r), state.get(r).length + 1);
            prefix[prefix.length - 1] = tokens[r];
            next.add(prefix);
            double[] p = probs.apply(prefix);
            if (logits == null) {
                v = p.length;
                logits = new float[tokens.length * v];
            }
            for (int j = 0; j < v; j++) {
                logits[r * v + j] = (float) Math.log(p[j]);
            }
        }
        return new Step<>(Tensor.of(Backends.get("reference"), logits, tokens.length, v), next);
    }

    @Override
    public List<int[]> select(List<int[]> state, int[] rows) {
        List<int[]> out = new ArrayList<>();
        for (int r : rows) {
            out.add(state.get(r));
        }
        return out;
    }
}
