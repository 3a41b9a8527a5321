package dev.sequor.decode;

import dev.sequor.core.Tensor;

import java.util.Arrays;

/** Reads a step's logits to the host and normalises them; shared by the strategies. */
final class LogProbs {

    private LogProbs() {
    }

    /**
     * Reads a step's logits to the host and closes them.
     *
     * @return {@code [rows][V]} copies of the logits
     * @throws IllegalArgumentException if the logits are not {@code (rows, V)}
     */
    static float[][] read(Tensor logits, int rows) {
        int[] shape = logits.shape();
        if (shape.length != 2 || shape[0] != rows) {
            throw new IllegalArgumentException("StepDecoder.step: expected logits (" + rows + ", V), got "
                    + Arrays.toString(shape));
        }
        int v = shape[1];
        float[] flat = logits.toFloatArray();
        logits.close();
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * v, (r + 1) * v);
        }
        return out;
    }

    /** @return {@code log softmax(z / temperature)}, in double */
    static double[] normalise(float[] z, double temperature) {
        double[] out = new double[z.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < z.length; j++) {
            out[j] = z[j] / temperature;
            max = Math.max(max, out[j]);
        }
        double sum = 0;
        for (double x : out) {
            sum += Math.exp(x - max);
        }
        double lse = max + Math.log(sum);
        for (int j = 0; j < out.length; j++) {
            out[j] -= lse;
        }
        return out;
    }

    static int argmax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    static void checkArgs(int rows, int maxLength) {
        if (rows <= 0) {
            throw new IllegalArgumentException("decode: need at least one row, got " + rows);
        }
        if (maxLength <= 0) {
            throw new IllegalArgumentException("decode: maxLength must be positive, got " + maxLength);
        }
    }
}
