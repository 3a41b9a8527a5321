package dev.sequor.backend.simd;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.sequor.backend.simd.Fixtures.REF;
import static dev.sequor.backend.simd.Fixtures.SIMD;

/**
 * The fused overrides at sizes large enough to run in parallel parts (the kit's cases are small),
 * against the reference backend.
 */
class FusedTest {

    @Test
    void layerNormForwardAndBackwardInParallelParts() {
        int rows = 300;
        int cols = 700;
        SplittableRandom r = new SplittableRandom(31);
        float[] x = Fixtures.random(r, rows * cols, 3);
        for (int i = 0; i < x.length; i++) {
            x[i] += 100f * (i / cols % 3);
        }
        float[] gamma = Fixtures.random(r, cols, 2);
        float[] beta = Fixtures.random(r, cols, 1);
        float[] gy = Fixtures.random(r, rows * cols, 1);
        float[][][] out = new float[2][][];
        Backend[] bes = {SIMD, REF};
        for (int k = 0; k < 2; k++) {
            Backend be = bes[k];
            Buffer xb = Fixtures.upload(be, x);
            Buffer gb = Fixtures.upload(be, gamma);
            Buffer bb = Fixtures.upload(be, beta);
            Buffer gyb = Fixtures.upload(be, gy);
            Buffer y = be.allocate((long) rows * cols);
            Buffer mean = be.allocate(rows);
            Buffer rstd = be.allocate(rows);
            Buffer gx = be.allocate((long) rows * cols);
            Buffer gg = be.allocate(cols);
            Buffer gbeta = be.allocate(cols);
            be.layerNormForward(xb, gb, bb, rows, cols, 1e-5f, y, mean, rstd);
            // Both backwards from cpu-simd's saved statistics, so only the backward formula is compared.
            if (k == 1) {
                be.upload(out[0][1], 0, mean, 0, rows);
                be.upload(out[0][2], 0, rstd, 0, rows);
            }
            float[] savedMean = Fixtures.download(be, mean);
            float[] savedRstd = Fixtures.download(be, rstd);
            float[] yv = Fixtures.download(be, y);
            be.layerNormBackward(gyb, xb, mean, rstd, gb, rows, cols, gx, gg, gbeta);
            out[k] = new float[][] {yv, savedMean, savedRstd, Fixtures.download(be, gx), Fixtures.download(be, gg),
                Fixtures.download(be, gbeta)};
            for (Buffer b : new Buffer[] {xb, gb, bb, gyb, y, mean, rstd, gx, gg, gbeta}) {
                b.close();
            }
        }
        Fixtures.close(out[0][0], out[1][0], 1e-5, 1e-5, "layerNorm y");
        Fixtures.close(out[0][3], out[1][3], 1e-4, 1e-5, "layerNorm gx");
        Fixtures.close(out[0][4], out[1][4], 1e-4, 1e-4, "layerNorm gGamma");
        Fixtures.close(out[0][5], out[1][5], 1e-5, 1e-4, "layerNorm gBeta");
    }

    @Test
    void crossEntropyWithSmoothingAndIgnoredRowsInParallelParts() {
        int rows = 200;
        int classes = 1000;
        SplittableRandom r = new SplittableRandom(32);
        float[] logits = Fixtures.random(r, rows * classes, 8);
        float[] targets = new float[rows];
        float[] gradLoss = Fixtures.random(r, rows, 1);
        for (int i = 0; i < rows; i++) {
            targets[i] = i % 17 == 0 ? -100 : r.nextInt(classes);
        }
        for (float eps : new float[] {0f, 0.1f}) {
            float[][][] out = new float[2][][];
            Backend[] bes = {SIMD, REF};
            for (int k = 0; k < 2; k++) {
                Backend be = bes[k];
                Buffer lb = Fixtures.upload(be, logits);
                Buffer tb = Fixtures.upload(be, targets);
                Buffer glb = Fixtures.upload(be, gradLoss);
                Buffer loss = be.allocate(rows);
                Buffer lp = be.allocate((long) rows * classes);
                Buffer gx = be.allocate((long) rows * classes);
                be.crossEntropyForward(lb, tb, rows, classes, -100, eps, loss, lp);
                be.crossEntropyBackward(lp, tb, glb, rows, classes, -100, eps, gx);
                out[k] = new float[][] {Fixtures.download(be, loss), Fixtures.download(be, lp), Fixtures.download(be, gx)};
                for (Buffer b : new Buffer[] {lb, tb, glb, loss, lp, gx}) {
                    b.close();
                }
            }
            Fixtures.close(out[0][0], out[1][0], 1e-5, 1e-5, "crossEntropy loss eps=" + eps);
            Fixtures.close(out[0][1], out[1][1], 1e-6, 1e-5, "crossEntropy logProbs eps=" + eps);
            Fixtures.close(out[0][2], out[1][2], 1e-5, 1e-7, "crossEntropy grad eps=" + eps);
        }
    }
}
