package dev.sequor.backend.simd;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same call on the same data gives the same bits, before and after the JIT compiles the kernels:
 * the first repetition of each call runs the Vector API's interpreted fallbacks, later ones C2's
 * intrinsics. This failed (GEMM 36x48x16 with B transposed, sigmoid over 40,000 elements) while the
 * kernels used {@code reduceLanes(ADD)} and {@code lanewise(EXP)}, whose two implementations round
 * differently; {@link VMath} replaced them. {@link #rowsDoNotDependOnTheSplit} checks that a row's
 * result does not depend on which rows share its call (and so on how rows are split over threads).
 */
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
        int[][] shapes = {{4, 16, 8}, {36, 48, 16}, {64, 384, 128}, {100, 130, 300}, {3, 2048, 1024}};
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
            float[][] first = new float[8][];
            for (int rep = 0; rep < 30; rep++) {
                for (int op = 0; op < 8; op++) {
                    switch (op) {
                        case 0 -> be.unary(UnaryOp.TANH, x, 0, out, 0, n);
                        case 1 -> be.unary(UnaryOp.SIGMOID, x, 0, out, 0, n);
                        case 2 -> be.unary(UnaryOp.EXP, x, 0, out, 0, n);
                        case 3 -> be.binary(BinaryOp.MUL, x, new long[] {1}, y, new long[] {1}, out,
                                new int[] {n});
                        case 4 -> be.affine(x, 0.5f, 0.25f, out, n);
                        case 5 -> be.softmax(x, 1, n, 1, true, out);
                        case 6 -> be.unary(UnaryOp.LOG, y, 0, out, 0, n);
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
                        assertThat(got).as("%s %s repeat %d", op, Arrays.toString(s), rep).containsExactly(first);
                    }
                }
                x.close();
                out.close();
            }
        }
    }

    /**
     * Rows computed in one call equal the same rows computed alone or in other groups: GEMM (rows 0..m
     * in one product, then row by row and in uneven groups, alpha != 1 with beta = 1 so a row in an edge
     * tile rounds as one in a full tile), and softmax per row.
     */
    @Test
    void rowsDoNotDependOnTheSplit() {
        int m = 23;
        int n = 70;
        int k = 300;
        for (boolean tb : new boolean[] {false, true}) {
            Buffer a = random(m * k, 7);
            Buffer b = random(k * n, 8);
            Buffer c0 = random(m * n, 9);
            float[] init = read(c0, m * n);
            Buffer whole = be.allocate((long) m * n);
            be.upload(init, 0, whole, 0, m * n);
            be.gemm(false, tb, 1, m, n, k, 0.7f, MatrixView.of(a, k), MatrixView.of(b, tb ? k : n), 1f,
                    MatrixView.of(whole, n));
            float[] want = read(whole, m * n);
            for (int group : new int[] {1, 2, 3, 5, 7}) {
                Buffer parts = be.allocate((long) m * n);
                be.upload(init, 0, parts, 0, m * n);
                for (int r0 = 0; r0 < m; r0 += group) {
                    int rows = Math.min(group, m - r0);
                    be.gemm(false, tb, 1, rows, n, k, 0.7f, new MatrixView(a, (long) r0 * k, k, 0),
                            MatrixView.of(b, tb ? k : n), 1f, new MatrixView(parts, (long) r0 * n, n, 0));
                }
                assertThat(read(parts, m * n)).as("gemm tb=%s in groups of %d rows", tb, group).containsExactly(want);
                parts.close();
            }
            a.close();
            b.close();
            c0.close();
            whole.close();
        }
        int rows = 9;
        int width = 333;
        Buffer x = random(rows * width, 10);
        Buffer all = be.allocate((long) rows * width);
        be.softmax(x, rows, width, 1, false, all);
        float[] want = read(all, rows * width);
        Buffer one = be.allocate(width);
        float[] xs = read(x, rows * width);
        for (int r = 0; r < rows; r++) {
            Buffer row = be.allocate(width);
            be.upload(xs, r * width, row, 0, width);
            be.softmax(row, 1, width, 1, false, one);
            assertThat(read(one, width)).as("softmax row %d alone", r)
                    .containsExactly(Arrays.copyOfRange(want, r * width, (r + 1) * width));
            row.close();
        }
        x.close();
        all.close();
        one.close();
    }
}
