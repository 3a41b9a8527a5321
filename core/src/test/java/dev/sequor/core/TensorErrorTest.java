package dev.sequor.core;

import dev.sequor.reference.ReferenceProvider;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input gets a clear error: the op, both shapes, the index and its bound, the backends found. */
class TensorErrorTest {

    private static final Backend BE = Backends.get("reference");

    @Test
    void shapeMismatchNamesTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(BE, 2, 3);
        assertThatThrownBy(() -> a.mul(Tensor.zeros(BE, 4, 3))).hasMessageContaining("mul")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> a.matmul(Tensor.zeros(BE, 4, 5))).hasMessageContaining("matmul")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[4, 5]");
        assertThatThrownBy(() -> a.matmul(Tensor.zeros(BE, 2, 3, 4).reshape(3, 2, 4))).hasMessageContaining("matmul");
        assertThatThrownBy(() -> Tensor.zeros(BE, 2, 2, 3).matmul(Tensor.zeros(BE, 3, 3, 4)))
                .hasMessageContaining("matmul").hasMessageContaining("[2]").hasMessageContaining("[3]");
        assertThatThrownBy(() -> a.matmulTransposed(Tensor.zeros(BE, 5, 4))).hasMessageContaining("matmulTransposed")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[5, 4]");
        assertThatThrownBy(() -> Tensor.concat(0, a, Tensor.zeros(BE, 2, 4))).hasMessageContaining("concat")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> Tensor.stack(0, a, Tensor.zeros(BE, 3, 2))).hasMessageContaining("stack")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
        assertThatThrownBy(() -> a.assign(Tensor.zeros(BE, 3, 2))).hasMessageContaining("assign")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
        assertThatThrownBy(() -> a.addInPlace(Tensor.zeros(BE, 2, 2), 1f)).hasMessageContaining("addInPlace")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[2, 2]");
        assertThatThrownBy(() -> a.expand(4, 3)).hasMessageContaining("expand").hasMessageContaining("[2, 3]")
                .hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> a.reshape(4, 2)).hasMessageContaining("reshape").hasMessageContaining("[2, 3]")
                .hasMessageContaining("[4, 2]");
        assertThatThrownBy(() -> a.gather(0, Tensor.zeros(BE, 2, 4))).hasMessageContaining("gather")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> a.maskedFill(Tensor.zeros(BE, 4, 3), 0f)).hasMessageContaining("maskedFill")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> Tensor.where(Tensor.zeros(BE, 5), a, a)).hasMessageContaining("where")
                .hasMessageContaining("[5]").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> a.split(1, 1, 1)).hasMessageContaining("split").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> a.chunk(2, 1)).hasMessageContaining("chunk").hasMessageContaining("2");
        assertThatThrownBy(() -> a.squeeze(0)).hasMessageContaining("squeeze").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Tensor.of(BE, new float[] {1, 2, 3}, 2, 2)).hasMessageContaining("[2, 2]");
    }

    @Test
    void indexOutOfRangeNamesTheIndexAndTheBound() {
        Tensor a = Tensor.zeros(BE, 2, 3);
        assertThatThrownBy(() -> a.select(1, 3)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("select").hasMessageContaining("index 3").hasMessageContaining("size 3");
        assertThatThrownBy(() -> a.select(0, -1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index -1");
        assertThatThrownBy(() -> a.narrow(1, 2, 2)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("narrow").hasMessageContaining("[2, 4)").hasMessageContaining("size 3");
        assertThatThrownBy(() -> a.sum(2, false)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("axis 2").hasMessageContaining("rank 2");
        assertThatThrownBy(() -> a.softmax(-3)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("softmax").hasMessageContaining("axis -3");
        assertThatThrownBy(() -> a.indexSelect(0, Tensor.of(BE, new float[] {0, 2})))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("indexSelect")
                .hasMessageContaining("2").hasMessageContaining("[0, 2)");
        assertThatThrownBy(() -> a.gather(1, Tensor.of(BE, new float[] {0, 5}, 2, 1)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("gather")
                .hasMessageContaining("5").hasMessageContaining("[0, 3)");
        assertThatThrownBy(() -> a.size(5)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("axis 5");
    }

    @Test
    void closedTensorSaysSo() {
        Tensor a = Tensor.ones(BE, 2, 3);
        a.close();
        assertThatThrownBy(() -> a.add(Tensor.ones(BE, 2, 3))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed").hasMessageContaining("[2, 3]");
        assertThatThrownBy(a::toFloatArray).hasMessageContaining("closed");
        assertThatThrownBy(() -> a.exp()).hasMessageContaining("closed");
        assertThatThrownBy(() -> a.matmul(Tensor.ones(BE, 3, 1))).hasMessageContaining("closed");
        assertThatThrownBy(() -> a.reshape(6)).hasMessageContaining("closed");
        Tensor c = Tensor.ones(BE, 2, 2);
        Tensor view = c.reshape(4); // shares c's storage, which stays alive after c is closed
        c.close();
        assertThatThrownBy(c::detach).hasMessageContaining("detach").hasMessageContaining("closed");
        assertThat(view.toFloatArray()).containsExactly(1, 1, 1, 1);
        Tensor b;
        try (Scope s = Tensor.scope()) {
            b = Tensor.ones(BE, 4);
        }
        assertThatThrownBy(b::toFloatArray).hasMessageContaining("closed").hasMessageContaining("[4]");
    }

    @Test
    void mixingBackendsNamesBoth() {
        Backend other = new ReferenceProvider().create();
        Tensor a = Tensor.ones(BE, 2);
        Tensor b = Tensor.ones(other, 2);
        assertThatThrownBy(() -> a.add(b)).hasMessageContaining("add").hasMessageContaining("different backends");
        assertThatThrownBy(() -> a.matmul(b.reshape(2, 1))).hasMessageContaining("matmul")
                .hasMessageContaining("different backends");
        assertThatThrownBy(() -> a.assign(b)).hasMessageContaining("assign").hasMessageContaining("different backends");
    }

    @Test
    void unknownBackendListsTheKnownOnes() {
        assertThatThrownBy(() -> Backends.get("nope")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nope").hasMessageContaining("reference");
    }
}
