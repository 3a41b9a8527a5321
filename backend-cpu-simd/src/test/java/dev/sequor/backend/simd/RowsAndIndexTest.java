package dev.sequor.backend.simd;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.ReduceOp;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.sequor.backend.simd.Fixtures.REF;
import static dev.sequor.backend.simd.Fixtures.SIMD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reductions, softmax, index ops and random fills against the reference backend. */
class RowsAndIndexTest {

    private static final int[][] SHAPES = {{1, 1000, 1}, {37, 129, 1}, {3, 70, 5}, {2, 1, 40}, {1, 0, 3},
        {5, 40_000, 1}, {2, 500, 300}};

    private static float[] data(long seed, int n) {
        float[] x = Fixtures.random(new SplittableRandom(seed), n, 20);
        if (n > 10) {
            x[3] = Float.NEGATIVE_INFINITY;
        }
        return x;
    }

    @Test
    void reductionsMatchTheReference() {
        for (int[] s : SHAPES) {
            float[] x = data(s[1], s[0] * s[1] * s[2]);
            if (x.length > 50) {
                x[41] = Float.NaN;
            }
            for (ReduceOp op : ReduceOp.values()) {
                if (s[1] == 0 && (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN)) {
                    Buffer xb = SIMD.allocate(0);
                    Buffer ob = SIMD.allocate((long) s[0] * s[2]);
                    assertThatThrownBy(() -> SIMD.reduce(op, xb, s[0], s[1], s[2], ob))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
                    xb.close();
                    ob.close();
                    continue;
                }
                float[][] got = new float[2][];
                Backend[] bes = {SIMD, REF};
                for (int k = 0; k < 2; k++) {
                    Buffer xb = Fixtures.upload(bes[k], x);
                    Buffer ob = bes[k].allocate((long) s[0] * s[2]);
                    bes[k].reduce(op, xb, s[0], s[1], s[2], ob);
                    got[k] = Fixtures.download(bes[k], ob);
                    xb.close();
                    ob.close();
                }
                Fixtures.close(got[0], got[1], 2e-7, 1e-6, op + " " + Arrays.toString(s));
            }
        }
    }

    @Test
    void softmaxForwardAndBackwardMatchTheReference() {
        for (int[] s : SHAPES) {
            int total = s[0] * s[1] * s[2];
            float[] x = data(s[1] + 1, total);
            float[] gy = Fixtures.random(new SplittableRandom(5), total, 1);
            for (boolean log : new boolean[] {false, true}) {
                float[][] y = new float[2][];
                float[][] gx = new float[2][];
                Backend[] bes = {SIMD, REF};
                for (int k = 0; k < 2; k++) {
                    Buffer xb = Fixtures.upload(bes[k], x);
                    Buffer yb = bes[k].allocate(total);
                    bes[k].softmax(xb, s[0], s[1], s[2], log, yb);
                    y[k] = Fixtures.download(bes[k], yb);
                    xb.close();
                    yb.close();
                }
                for (int k = 0; k < 2; k++) {
                    // Backward from the reference's y on both, so only the backward formula is compared.
                    Buffer yb = Fixtures.upload(bes[k], y[1]);
                    Buffer gyb = Fixtures.upload(bes[k], gy);
                    Buffer gxb = bes[k].allocate(total);
                    bes[k].softmaxBackward(yb, gyb, s[0], s[1], s[2], log, gxb);
                    gx[k] = Fixtures.download(bes[k], gxb);
                    for (Buffer b : new Buffer[] {yb, gyb, gxb}) {
                        b.close();
                    }
                }
                String what = (log ? "logsoftmax " : "softmax ") + Arrays.toString(s);
                Fixtures.close(y[0], y[1], 5e-7, 1e-9, what);
                Fixtures.close(gx[0], gx[1], 1e-6, 1e-7, what + " backward");
            }
        }
    }

    @Test
    void indexOpsMatchTheReference() {
        int outer = 3;
        int n = 11;
        int inner = 7;
        int m = 9;
        float[] x = data(21, outer * n * inner);
        float[] idx = {0, 10, 3, 3, 5, 10, 1, 0, 2};
        float[] g = data(22, outer * m * inner);
        float[] gidx = new float[outer * m * inner];
        SplittableRandom r = new SplittableRandom(23);
        for (int i = 0; i < gidx.length; i++) {
            gidx[i] = r.nextInt(n);
        }
        float[][][] res = new float[2][][];
        Backend[] bes = {SIMD, REF};
        for (int k = 0; k < 2; k++) {
            Backend be = bes[k];
            Buffer xb = Fixtures.upload(be, x);
            Buffer ib = Fixtures.upload(be, idx);
            Buffer gb = Fixtures.upload(be, g);
            Buffer gib = Fixtures.upload(be, gidx);
            Buffer sel = be.allocate(outer * m * inner);
            Buffer add = Fixtures.upload(be, x);
            Buffer gat = be.allocate(outer * m * inner);
            Buffer sca = Fixtures.upload(be, x);
            be.indexSelect(xb, outer, n, inner, ib, m, sel);
            be.indexAdd(gb, outer, m, inner, ib, n, add);
            be.gather(xb, outer, n, inner, gib, m, gat);
            be.scatterAdd(gb, outer, m, inner, gib, n, sca);
            res[k] = new float[][] {Fixtures.download(be, sel), Fixtures.download(be, add),
                Fixtures.download(be, gat), Fixtures.download(be, sca)};
            for (Buffer b : new Buffer[] {xb, ib, gb, gib, sel, add, gat, sca}) {
                b.close();
            }
        }
        String[] names = {"indexSelect", "indexAdd", "gather", "scatterAdd"};
        for (int t = 0; t < 4; t++) {
            Fixtures.close(res[0][t], res[1][t], 1e-6, 1e-6, names[t]);
        }
        Buffer xb = Fixtures.upload(SIMD, x);
        Buffer bad = Fixtures.upload(SIMD, new float[] {0, 11});
        Buffer out = SIMD.allocate(2L * inner * outer);
        assertThatThrownBy(() -> SIMD.indexSelect(xb, outer, n, inner, bad, 2, out))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("11").hasMessageContaining("11)");
        xb.close();
        bad.close();
        out.close();
    }

    @Test
    void randomFillsAreBitIdenticalToTheReference() {
        for (RandomKind kind : RandomKind.values()) {
            float[][] got = new float[2][];
            Backend[] bes = {SIMD, REF};
            for (int k = 0; k < 2; k++) {
                Buffer b = bes[k].allocate(100_010);
                bes[k].randomFill(b, 7, 100_000, kind, kind == RandomKind.BERNOULLI ? 0.3f : -1f, 2f, 42L);
                got[k] = Fixtures.download(bes[k], b);
                b.close();
            }
            Fixtures.close(got[0], got[1], 0, 0, "randomFill " + kind);
        }
    }

    @Test
    void buffersCheckOwnershipClosingAndBounds() {
        long before = SIMD.liveBuffers();
        Buffer a = SIMD.allocate(10);
        Buffer foreign = REF.allocate(10);
        assertThat(SIMD.liveBuffers()).isEqualTo(before + 1);
        assertThatThrownBy(() -> SIMD.copy(foreign, 0, a, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("copy").hasMessageContaining("reference");
        assertThatThrownBy(() -> SIMD.fill(a, 5, 6, 1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fill");
        assertThatThrownBy(() -> SIMD.allocate(-1)).isInstanceOf(IllegalArgumentException.class);
        a.close();
        a.close();
        assertThat(a.isClosed()).isTrue();
        assertThat(SIMD.liveBuffers()).isEqualTo(before);
        assertThatThrownBy(() -> SIMD.fill(a, 0, 1, 1f))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        foreign.close();
    }
}
