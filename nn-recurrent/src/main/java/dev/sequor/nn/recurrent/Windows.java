package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;

import java.util.Arrays;

/**
 * Sliding windows over one axis written as Tensor ops, the im2col of {@link Conv1d} and the pooling
 * layers: pad the axis, then one index select with an {@code (out, k)} index table
 * {@code idx[t, j] = t * stride + j * dilation}, so the gradient is the select's scatter-add.
 */
final class Windows {

    private Windows() {
    }

    /** @return the output length {@code floor((n + 2 pad - dilation (k - 1) - 1) / stride) + 1} */
    static int outLength(String op, int n, int kernel, int stride, int padding, int dilation) {
        if (kernel < 1 || stride < 1 || padding < 0 || dilation < 1) {
            throw new IllegalArgumentException(op + ": kernel, stride and dilation must be positive and padding >= 0,"
                    + " got kernel=" + kernel + " stride=" + stride + " padding=" + padding + " dilation=" + dilation);
        }
        int span = dilation * (kernel - 1) + 1;
        if (n + 2 * padding < span) {
            throw new IllegalArgumentException(op + ": the window spans " + span + " steps but the padded input has "
                    + (n + 2 * padding) + " (length " + n + ", padding " + padding + ")");
        }
        return (n + 2 * padding - span) / stride + 1;
    }

    /** @return {@code x} with {@code padding} entries of {@code value} added at both ends of {@code axis} */
    static Tensor pad(Tensor x, int axis, int padding, float value) {
        if (padding == 0) {
            return x;
        }
        int[] s = x.shape();
        s[axis] = padding;
        Tensor edge = Tensor.full(x.backend(), value, s);
        return Tensor.concat(axis, edge, x, edge);
    }

    /**
     * @param x a tensor whose {@code axis} has length n
     * @return x padded with {@code value} and windowed: {@code axis} of length n is replaced by
     *         {@code (out, kernel)}, entry {@code [t, j]} being padded position {@code t * stride + j * dilation}
     */
    static Tensor unfold(Tensor x, int axis, int kernel, int stride, int padding, int dilation, float value,
                         String op) {
        int out = outLength(op, x.size(axis), kernel, stride, padding, dilation);
        float[] idx = new float[out * kernel];
        for (int t = 0; t < out; t++) {
            for (int j = 0; j < kernel; j++) {
                idx[t * kernel + j] = t * stride + j * dilation;
            }
        }
        // the index tensor stays open: the recorded backward of the select reads it
        return pad(x, axis, padding, value).indexSelect(axis, Tensor.of(x.backend(), idx, out, kernel));
    }

    static String str(Tensor t) {
        return Arrays.toString(t.shape());
    }
}
