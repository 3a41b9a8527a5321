package dev.sequor.spi;

/**
 * The geometry of a 2-D convolution (cross-correlation, as PyTorch's {@code conv2d}) for
 * {@link Backend#conv2dForward}: input {@code x (B, C, H, W)}, weight {@code (O, C, kH, kW)},
 * zero padding {@code padH, padW} on each side, strides {@code strideH, strideW}, output
 * {@code (B, O, outH, outW)} with {@code outH = (H + 2 padH - kH) / strideH + 1} (likewise W).
 *
 * @param batch       B
 * @param inChannels  C
 * @param height      H
 * @param width       W
 * @param outChannels O
 * @param kernelH     kH
 * @param kernelW     kW
 * @param padH        zero rows added above and below
 * @param padW        zero columns added left and right
 * @param strideH     vertical stride, at least 1
 * @param strideW     horizontal stride, at least 1
 */
public record Conv2dShape(int batch, int inChannels, int height, int width, int outChannels, int kernelH,
                          int kernelW, int padH, int padW, int strideH, int strideW) {

    public Conv2dShape {
        if (batch < 1 || inChannels < 1 || height < 1 || width < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1
                || padH < 0 || padW < 0 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("Conv2dShape: sizes must be positive and padding non-negative: " + this);
        }
        if (height + 2 * padH < kernelH || width + 2 * padW < kernelW) {
            throw new IllegalArgumentException("Conv2dShape: kernel " + kernelH + "x" + kernelW
                    + " is larger than the padded input " + (height + 2 * padH) + "x" + (width + 2 * padW));
        }
    }

    /** @return output rows */
    public int outH() {
        return (height + 2 * padH - kernelH) / strideH + 1;
    }

    /** @return output columns */
    public int outW() {
        return (width + 2 * padW - kernelW) / strideW + 1;
    }
}
