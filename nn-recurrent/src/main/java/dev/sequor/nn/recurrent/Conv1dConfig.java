package dev.sequor.nn.recurrent;

/**
 * Configuration of {@link Conv1d}, with PyTorch's {@code nn.Conv1d} names and defaults (stride 1,
 * no padding, no dilation, a bias).
 *
 * @param inChannels  C, the features per time step
 * @param outChannels O, the filters
 * @param kernel      k, the taps per filter
 * @param stride      the step between windows
 * @param padding     zeros added at both ends of the time axis
 * @param dilation    d, the step between taps: a TDNN layer over context {t-2, t, t+2} is k = 3, d = 2
 * @param bias        whether a bias is added
 * @param seed        seed of the initialisation
 */
public record Conv1dConfig(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation,
                           boolean bias, long seed) {

    public Conv1dConfig {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0 || dilation < 1) {
            throw new IllegalArgumentException("Conv1dConfig: channels, kernel, stride and dilation must be positive"
                    + " and padding >= 0, got " + inChannels + " -> " + outChannels + ", kernel " + kernel + ", stride "
                    + stride + ", padding " + padding + ", dilation " + dilation);
        }
    }

    /** @return PyTorch's defaults: stride 1, padding 0, dilation 1, a bias, seed 0 */
    public static Conv1dConfig of(int inChannels, int outChannels, int kernel) {
        return new Conv1dConfig(inChannels, outChannels, kernel, 1, 0, 1, true, 0L);
    }

    /** @return a copy with the stride replaced */
    public Conv1dConfig withStride(int s) {
        return new Conv1dConfig(inChannels, outChannels, kernel, s, padding, dilation, bias, seed);
    }

    /** @return a copy with the padding replaced ({@code dilation (k - 1) / 2} keeps the length for odd k) */
    public Conv1dConfig withPadding(int p) {
        return new Conv1dConfig(inChannels, outChannels, kernel, stride, p, dilation, bias, seed);
    }

    /** @return a copy with the dilation replaced */
    public Conv1dConfig withDilation(int d) {
        return new Conv1dConfig(inChannels, outChannels, kernel, stride, padding, d, bias, seed);
    }

    /** @return a copy with the bias switched on or off */
    public Conv1dConfig withBias(boolean on) {
        return new Conv1dConfig(inChannels, outChannels, kernel, stride, padding, dilation, on, seed);
    }

    /** @return a copy with the seed replaced */
    public Conv1dConfig withSeed(long s) {
        return new Conv1dConfig(inChannels, outChannels, kernel, stride, padding, dilation, bias, s);
    }
}
