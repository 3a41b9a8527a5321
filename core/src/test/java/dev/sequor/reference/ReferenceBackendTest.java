package dev.sequor.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;
import dev.sequor.spi.BinaryOp;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.CounterRng;
import dev.sequor.spi.MatrixView;
import dev.sequor.spi.RandomKind;
import dev.sequor.spi.ReduceOp;
import dev.sequor.spi.UnaryOp;

import org.junit.jupiter.api.Test;

/**
 * Sanity checks of the reference backend with hand-worked values. The full check of every op
 * against an independent double oracle is the conformance kit's reference adapter.
 */
class ReferenceBackendTest {

    private final Backend be = Backends.get("reference");

    private Buffer of(float... v) {
        Buffer b = be.allocate(v.length);
        be.upload(v, 0, b, 0, v.length);
        return b;
    }

    private float[] read(Buffer b) {
        float[] out = new float[(int) b.length()];
        be.download(b, 0, out, 0, out.length);
        return out;
    }

    @Test
    void isDiscoveredByNameWithPriorityZero() {
        assertThat(be.name()).isEqualTo("reference");
        assertThat(Backends.available()).anySatisfy(i -> {
            assertThat(i.name()).isEqualTo("reference");
            assertThat(i.priority()).isZero();
            assertThat(i.status().available()).isTrue();
        });
    }

    @Test
    void gemmTwoByTwoWithTransposedB() {
        try (Buffer a = of(1, 2, 3, 4); Buffer b = of(5, 6, 7, 8); Buffer c = of(Float.NaN, 0, 0, 0)) {
            // A = [[1,2],[3,4]], B stored [[5,6],[7,8]] read as B^T = [[5,7],[6,8]].
            be.gemm(false, true, 1, 2, 2, 2, 1f, MatrixView.of(a, 2), MatrixView.of(b, 2), 0f, MatrixView.of(c, 2));
            assertThat(read(c)).containsExactly(17, 23, 39, 53);
        }
    }

    @Test
    void unaryAndBinaryBasics() {
        try (Buffer x = of(-2, 0, 3, Float.NaN); Buffer y = be.allocate(4); Buffer r = of(10)) {
            be.unary(UnaryOp.RELU, x, 0, y, 0, 4);
            assertThat(read(y)).containsExactly(0, 0, 3, Float.NaN);
            be.unary(UnaryOp.SIGMOID, x, 2, y, 0, 1);
            assertThat(read(y)[0]).isEqualTo((float) (1 / (1 + Math.exp(-3))));
            be.binary(BinaryOp.ADD, x, new long[] {1}, r, new long[] {0}, y, new int[] {4});
            assertThat(read(y)).containsExactly(8, 10, 13, Float.NaN);
            // GELU keeps the far left tail instead of flushing it to 0: -10 * Phi(-10) = -7.6e-23.
            be.unary(UnaryOp.GELU, of(-10), 0, y, 0, 1);
            assertThat(read(y)[0]).isBetween(-7.62e-23f, -7.61e-23f);
        }
    }

    @Test
    void reduceSoftmaxAndIndexOps() {
        try (Buffer x = of(1, 2, 3, 4, 5, 6); Buffer out = be.allocate(3); Buffer idx = of(2, 0, 2)) {
            be.reduce(ReduceOp.SUM, x, 1, 2, 3, out); // (1, 2, 3): columns sum
            assertThat(read(out)).containsExactly(5, 7, 9);
            be.reduce(ReduceOp.ARGMAX, x, 2, 3, 1, out);
            assertThat(read(out)).startsWith(2, 2);
            be.softmax(x, 2, 3, 1, false, x);
            float[] y = read(x);
            assertThat((double) y[0] + y[1] + y[2]).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
            try (Buffer table = of(0, 1, 10, 11, 20, 21); Buffer rows = be.allocate(6)) {
                be.indexSelect(table, 1, 3, 2, idx, 3, rows);
                assertThat(read(rows)).containsExactly(20, 21, 0, 1, 20, 21);
                try (Buffer bad = of(3)) {
                    assertThatThrownBy(() -> be.indexSelect(table, 1, 3, 2, bad, 1, rows))
                            .isInstanceOf(IndexOutOfBoundsException.class)
                            .hasMessageContaining("index 3").hasMessageContaining("[0, 3)");
                }
            }
        }
    }

    @Test
    void randomFillFollowsCounterRngFromTheOffset() {
        try (Buffer b = be.allocate(5)) {
            be.randomFill(b, 2, 3, RandomKind.UNIFORM, -1f, 1f, 42L);
            float[] v = read(b);
            assertThat(v[0]).isZero();
            assertThat(v[2]).isEqualTo(-1f + 2f * CounterRng.uniform(42L, 0));
            assertThat(v[4]).isEqualTo(-1f + 2f * CounterRng.uniform(42L, 2));
        }
    }

    @Test
    void closedAndForeignBuffersAndLeaksAreReported() {
        long before = be.liveBuffers();
        Buffer b = be.allocate(3);
        assertThat(be.liveBuffers()).isEqualTo(before + 1);
        b.close();
        b.close();
        assertThat(be.liveBuffers()).isEqualTo(before);
        assertThatThrownBy(() -> be.fill(b, 0, 1, 1f)).hasMessageContaining("fill").hasMessageContaining("closed");
        Backend other = new ReferenceProvider().create();
        try (Buffer foreign = other.allocate(1); Buffer mine = be.allocate(1)) {
            assertThatThrownBy(() -> be.copy(foreign, 0, mine, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("copy");
            assertThatThrownBy(() -> be.fill(mine, 1, 1, 0f))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 1");
        }
    }
}
