package dev.sequor.backend.simd;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.ReduceOp;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same call on the same data should give the same bits. Known to fail today: results can change
 * in the last bit after some repetitions (GEMM 36x48x16 with B transposed, sigmoid over 40,000
 * elements), apparently when C2 compiles the Vector API kernels whose interpreted fallbacks round
 * differently. Kept as the reproducer for that open issue.
 */
@org.junit.jupiter.api.Disabled("open issue: cpu-simd results can change in the last bit once the JIT compiles its"
        + " vector kernels; enable to reproduce")
class DeterminismTest {

    private final Backend be = Backends.get("cpu-simd");

    private Buffer random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        Buffer b = be.allocate(n);
        be.upload(v, 0, b, 0, n);
        return b;
    }

    private float[] read(Buffer b, int n) {
        float[] v = new float[n];
        be.download(b, 0, v, 0, n);
        return v;
    }

    @Test
    void gemmIsBitReproducible() {
        int[][] shapes = {{4, 16, 8}, {36, 48, 16}, {64, 384, 128}, {200, 300, 700}, {3, 2048, 1024}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Buffer a = random(m * k, 1);
                    Buffer b = random(k * n, 2);
                    Buffer c = be.allocate((long) m * n);
                    float[] first = null;
                    for (int rep = 0; rep < 30; rep++) {
                        be.gemm(ta, tb, 1, m, n, k, 1f, MatrixView.of(a, ta ? m : k), MatrixView.of(b, tb ? k : n), 0f,
                                MatrixView.of(c, n));
                        float[] got = read(c, m * n);
                        if (first == null) {
                            first = got;
                        } else {
                            assertThat(got).as("gemm %dx%dx%d ta=%s tb=%s repeat %d", m, n, k, ta, tb, rep)
                                    .containsExactly(first);
                        }
                    }
                    a.close();
                    b.close();
                    c.close();
                }
            }
        }
    }

    @Test
    void elementwiseAndSoftmaxAreBitReproducible() {
        for (int n : new int[] {333, 40000, 100003}) {
            Buffer x = random(n, 4);
            Buffer y = random(n, 5);
            Buffer out = be.allocate(n);
            float[][] first = new float[6][];
            for (int rep = 0; rep < 30; rep++) {
                for (int op = 0; op < 6; op++) {
                    switch (op) {
                        case 0 -> be.unary(dev.sequor.spi.UnaryOp.TANH, x, 0, out, 0, n);
                        case 1 -> be.unary(dev.sequor.spi.UnaryOp.SIGMOID, x, 0, out, 0, n);
                        case 2 -> be.unary(dev.sequor.spi.UnaryOp.EXP, x, 0, out, 0, n);
                        case 3 -> be.binary(dev.sequor.spi.BinaryOp.MUL, x, new long[] {1}, y, new long[] {1}, out,
                                new int[] {n});
                        case 4 -> be.affine(x, 0.5f, 0.25f, out, n);
                        default -> be.softmax(x, 1, n, 1, false, out);
                    }
                    float[] got = read(out, n);
                    if (first[op] == null) {
                        first[op] = got;
                    } else {
                        assertThat(got).as("op %d n %d repeat %d", op, n, rep).containsExactly(first[op]);
                    }
                }
            }
            x.close();
            y.close();
            out.close();
        }
    }

    @Test
    void reductionsAreBitReproducible() {
        int[][] shapes = {{1, 100000, 1}, {64, 512, 1}, {8, 300, 40}};
        for (int[] s : shapes) {
            for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MEAN, ReduceOp.LOGSUMEXP}) {
                Buffer x = random(s[0] * s[1] * s[2], 3);
                Buffer out = be.allocate((long) s[0] * s[2]);
                float[] first = null;
                for (int rep = 0; rep < 30; rep++) {
                    be.reduce(op, x, s[0], s[1], s[2], out);
                    float[] got = read(out, s[0] * s[2]);
                    if (first == null) {
                        first = got;
                    } else {
                        assertThat(got).as("%s %s repeat %d", op, java.util.Arrays.toString(s), rep).containsExactly(first);
                    }
                }
                x.close();
                out.close();
            }
        }
    }
}
