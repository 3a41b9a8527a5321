package dev.sequor.conformance;

import static dev.sequor.conformance.KitAssertions.assertClose;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.Conv2dShape;

import org.junit.jupiter.api.Test;

/**
 * {@link Backend#conv2dForward} and {@link Backend#conv2dBackward} against direct double-precision
 * loops over the definition: 1x1, 3x3 and rectangular kernels, with and without padding, stride 1
 * and 2, with and without bias. Held to {@link OpFamily#FUSED}.
 */
public interface ConvConformance extends BackendUnderTest {

    /** {B, C, H, W, O, kH, kW, pad, stride} */
    int[][] CASES = {{2, 3, 5, 4, 4, 3, 3, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 0, 1}, {2, 2, 6, 7, 3, 1, 1, 0, 1},
        {1, 3, 7, 6, 2, 3, 2, 0, 2}, {3, 2, 4, 4, 5, 3, 3, 2, 1}, {1, 4, 8, 8, 2, 5, 5, 2, 2}};

    @Test
    default void conv2dForwardAndBackwardMatchTheDefinition() {
        Backend be = backend();
        for (int[] c : CASES) {
            for (boolean withBias : new boolean[] {true, false}) {
                Conv2dShape s = new Conv2dShape(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[7], c[8], c[8]);
                int n = s.batch() * s.inChannels() * s.height() * s.width();
                int nw = s.outChannels() * s.inChannels() * s.kernelH() * s.kernelW();
                int ny = s.batch() * s.outChannels() * s.outH() * s.outW();
                long seed = 17L * c[2] + c[5] + (withBias ? 1 : 0);
                float[] x = Inputs.uniform(seed, n, -1, 1);
                float[] w = Inputs.uniform(seed + 1, nw, -1, 1);
                float[] bias = Inputs.uniform(seed + 2, s.outChannels(), -1, 1);
                float[] gy = Inputs.uniform(seed + 3, ny, -1, 1);
                double[][] e = oracle(s, x, w, withBias ? bias : null, gy);
                String what = s + (withBias ? "" : " without bias");
                try (Buffer xb = upload(x); Buffer wb = upload(w); Buffer bb = upload(bias); Buffer y = be.allocate(ny);
                     Buffer g = upload(gy); Buffer gx = be.allocate(n); Buffer gw = be.allocate(nw);
                     Buffer gb = be.allocate(s.outChannels())) {
                    be.conv2dForward(s, xb, wb, withBias ? bb : null, y);
                    assertClose(download(y), e[0], tolerance(OpFamily.FUSED), what + ": forward");
                    be.conv2dBackward(s, xb, wb, g, gx, gw, gb);
                    assertClose(download(gx), e[1], tolerance(OpFamily.FUSED), what + ": gradX");
                    assertClose(download(gw), e[2], tolerance(OpFamily.FUSED), what + ": gradWeight");
                    assertClose(download(gb), e[3], tolerance(OpFamily.FUSED), what + ": gradBias");
                }
            }
        }
    }

    /** @return {y, gradX, gradW, gradBias} by direct loops over every output and kernel tap */
    private static double[][] oracle(Conv2dShape s, float[] x, float[] w, float[] bias, float[] gy) {
        int b = s.batch();
        int c = s.inChannels();
        int o = s.outChannels();
        int kh = s.kernelH();
        int kw = s.kernelW();
        int oh = s.outH();
        int ow = s.outW();
        double[] y = new double[b * o * oh * ow];
        double[] gx = new double[x.length];
        double[] gw = new double[w.length];
        double[] gb = new double[o];
        for (int n = 0; n < b; n++) {
            for (int q = 0; q < o; q++) {
                for (int yy = 0; yy < oh; yy++) {
                    for (int xx = 0; xx < ow; xx++) {
                        int yi = ((n * o + q) * oh + yy) * ow + xx;
                        double acc = bias == null ? 0 : bias[q];
                        double g = gy[yi];
                        gb[q] += g;
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int r = yy * s.strideH() + i - s.padH();
                                    int col = xx * s.strideW() + j - s.padW();
                                    if (r < 0 || r >= s.height() || col < 0 || col >= s.width()) {
                                        continue;
                                    }
                                    int xi = ((n * c + ch) * s.height() + r) * s.width() + col;
                                    int wi = ((q * c + ch) * kh + i) * kw + j;
                                    acc += (double) w[wi] * x[xi];
                                    gx[xi] += w[wi] * g;
                                    gw[wi] += x[xi] * g;
                                }
                            }
                        }
                        y[yi] = acc;
                    }
                }
            }
        }
        return new double[][] {y, gx, gw, gb};
    }
}
