package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;
import dev.sequor.nn.Layer;

/**
 * Max and average pooling over 1-D sequences {@code (B, C, L)} and 2-D maps {@code (B, C, H, W)}, as
 * PyTorch's {@code max_pool1d/2d} and {@code avg_pool1d/2d} (floor mode; max pooling pads with
 * {@code -inf}, average pooling with zeros counted in the mean, PyTorch's {@code count_include_pad=True}):
 * <pre>
 *   max:  y[b, c, t] = max_j  xpad[b, c, t * stride + j]
 *   avg:  y[b, c, t] = (1/k) sum_j xpad[b, c, t * stride + j]
 * </pre>
 * and in 2-D the same over a {@code kH x kW} window. Written in Tensor ops (window select, then a
 * max or mean), so the max's gradient goes to the selected entry. Each {@code Pooling} is also a
 * {@link Layer} with fixed kernel, stride and padding.
 *
 * @param kind    MAX or AVG
 * @param dims    1 or 2
 * @param kernel  window size (square in 2-D)
 * @param stride  step between windows (PyTorch's default is the kernel)
 * @param padding entries added at each end (at most half the kernel, as PyTorch)
 */
public record Pooling(Kind kind, int dims, int kernel, int stride, int padding) implements Layer {

    /** What a window reduces to. */
    public enum Kind { MAX, AVG }

    public Pooling {
        if (dims != 1 && dims != 2) {
            throw new IllegalArgumentException("Pooling: dims must be 1 or 2, got " + dims);
        }
        check(kind.name().toLowerCase() + "Pool" + dims + "d", kernel, stride, padding);
    }

    /** @return a 1-D max pool with stride = kernel and no padding */
    public static Pooling max1d(int kernel) {
        return new Pooling(Kind.MAX, 1, kernel, kernel, 0);
    }

    /** @return a 2-D max pool with stride = kernel and no padding */
    public static Pooling max2d(int kernel) {
        return new Pooling(Kind.MAX, 2, kernel, kernel, 0);
    }

    /** @return a 1-D average pool with stride = kernel and no padding */
    public static Pooling avg1d(int kernel) {
        return new Pooling(Kind.AVG, 1, kernel, kernel, 0);
    }

    /** @return a 2-D average pool with stride = kernel and no padding */
    public static Pooling avg2d(int kernel) {
        return new Pooling(Kind.AVG, 2, kernel, kernel, 0);
    }

    /** @param x (B, C, L) in 1-D or (B, C, H, W) in 2-D @return the pooled tensor */
    @Override
    public Tensor forward(Tensor x) {
        boolean max = kind == Kind.MAX;
        return dims == 1 ? pool1d(x, kernel, stride, padding, max) : pool2d(x, kernel, stride, padding, max);
    }

    /**
     * @param x   (B, C, L)
     * @param max max pooling if true, average otherwise
     * @return (B, C, Lout), {@code Lout = floor((L + 2 padding - kernel) / stride) + 1}
     */
    public static Tensor pool1d(Tensor x, int kernel, int stride, int padding, boolean max) {
        String op = max ? "maxPool1d" : "avgPool1d";
        check(op, kernel, stride, padding);
        if (x.rank() != 3) {
            throw new IllegalArgumentException(op + ": input " + Windows.str(x) + " must be (B, C, L)");
        }
        Tensor w = Windows.unfold(x, 2, kernel, stride, padding, 1, max ? Float.NEGATIVE_INFINITY : 0f, op);
        return max ? w.max(3, false) : w.mean(3, false);                                   // (B, C, Lout)
    }

    /**
     * @param x   (B, C, H, W)
     * @param max max pooling if true, average otherwise
     * @return (B, C, outH, outW) with the 1-D length formula on each axis
     */
    public static Tensor pool2d(Tensor x, int kernel, int stride, int padding, boolean max) {
        String op = max ? "maxPool2d" : "avgPool2d";
        check(op, kernel, stride, padding);
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": input " + Windows.str(x) + " must be (B, C, H, W)");
        }
        float fill = max ? Float.NEGATIVE_INFINITY : 0f;
        Tensor rows = Windows.unfold(x, 2, kernel, stride, padding, 1, fill, op);        // (B, C, oH, kH, W)
        Tensor win = Windows.unfold(rows, 4, kernel, stride, padding, 1, fill, op);      // (B, C, oH, kH, oW, kW)
        int oh = win.size(2);
        int ow = win.size(4);
        win = win.permute(0, 1, 2, 4, 3, 5).reshape(x.size(0), x.size(1), oh, ow, kernel * kernel);
        return max ? win.max(4, false) : win.mean(4, false);                             // (B, C, oH, oW)
    }

    private static void check(String op, int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
            throw new IllegalArgumentException(op + ": kernel and stride must be positive and padding in [0, kernel/2],"
                    + " got kernel=" + kernel + " stride=" + stride + " padding=" + padding);
        }
    }
}
