package dev.sequor.core;

import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Finite-difference checks of reshape, permute and friends, and of indexSelect and gather. */
class MovementGradTest {

    private static final Backend BE = Backends.get("reference");
    private final GradCheck check = GradCheck.on(BE);

    private static Tensor u(long seed, int... shape) {
        return Inputs.uniform(BE, -1, 1, seed, shape);
    }

    @Test
    void reshapeFamily() {
        Tensor x = u(1, 2, 3, 4);
        check.check("reshape", v -> v.reshape(4, 6).square(), x);
        check.check("reshape -1", v -> v.reshape(-1, 2).exp(), x);
        check.check("reshape to rank 0", v -> v.reshape(1, 1).reshape().exp(), u(2, 1));
        check.check("unsqueeze 0", v -> v.unsqueeze(0).tanh(), x);
        check.check("unsqueeze -1", v -> v.unsqueeze(-1).tanh(), x);
        check.check("squeeze", v -> v.squeeze(1).sin(), u(3, 2, 1, 3));
        check.check("squeeze -1", v -> v.squeeze(-1).sin(), u(3, 2, 3, 1));
    }

    @Test
    void permuteAndTranspose() {
        Tensor x = u(4, 2, 3, 4);
        check.check("permute (2,0,1)", v -> v.permute(2, 0, 1).mul(v.permute(2, 0, 1).exp()), x);
        check.check("permute (-1,-3,-2)", v -> v.permute(-1, -3, -2).square(), x);
        check.check("transpose(-1,0)", v -> v.transpose(-1, 0).tanh(), x);
        check.check("transpose(1,2) matmul", v -> v.transpose(1, 2).matmul(v), x);
    }

    @Test
    void narrowSelectOnEveryAxis() {
        Tensor x = u(5, 2, 3, 4);
        for (int axis = -3; axis < 3; axis++) {
            int a = axis;
            int size = x.size(a);
            check.check("narrow axis " + a, v -> v.narrow(a, size - 1, 1).exp(), x);
            check.check("narrow all of axis " + a, v -> v.narrow(a, 0, size).exp(), x);
            check.check("select axis " + a, v -> v.select(a, size - 1).square(), x);
        }
        check.check("narrow middle", v -> v.narrow(2, 1, 2).exp(), x);
    }

    @Test
    void expand() {
        check.check("expand (3,1)->(2,3,4)", v -> v.expand(2, 3, 4).mul(u(6, 2, 3, 4)), u(7, 3, 1));
        check.check("expand (1)->(5)", v -> v.expand(5).exp(), u(8, 1));
        check.check("expand rank 0->(2,2)", v -> v.expand(2, 2).exp(), u(9));
        check.check("expand identity", v -> v.expand(2, 3).exp(), u(10, 2, 3));
    }

    @Test
    void splitAndChunk() {
        Tensor x = u(11, 2, 6);
        check.check("split (1,2,3)", v -> {
            List<Tensor> p = v.split(1, 1, 2, 3);
            return Tensor.concat(1, p.get(0).exp(), p.get(1).square(), p.get(2).tanh());
        }, x);
        check.check("chunk 3 on -1", v -> {
            List<Tensor> p = v.chunk(3, -1);
            return p.get(0).mul(p.get(1)).add(p.get(2).sin());
        }, x);
        check.check("split on axis 0, one piece unused", v -> v.split(0, 1, 1).get(1).exp(), x);
    }

    @Test
    void concatAndStack() {
        Tensor a = u(12, 2, 3);
        Tensor b = u(13, 2, 1);
        Tensor c = u(14, 2, 2);
        check.checkAll("concat axis 1", xs -> Tensor.concat(1, xs.get(0), xs.get(1), xs.get(2)).exp(), a, b, c);
        check.checkAll("concat axis 0", xs -> Tensor.concat(0, xs.get(0), xs.get(1).transpose(0, 1)).tanh(), a, u(15, 3, 2));
        check.checkAll("concat same tensor twice", xs -> Tensor.concat(-1, xs.get(0), xs.get(0).square()), a);
        Tensor d = u(16, 2, 3);
        check.checkAll("stack axis 0", xs -> Tensor.stack(0, xs.get(0), xs.get(1)).exp(), a, d);
        check.checkAll("stack axis -1", xs -> Tensor.stack(-1, xs.get(0), xs.get(1)).square(), a, d);
        check.checkAll("stack axis 1", xs -> Tensor.stack(1, List.of(xs.get(0), xs.get(1))).sin(), a, d);
        assertThat(Tensor.stack(-1, a, d).shape()).containsExactly(2, 3, 2);
    }

    @Test
    void flipReversesOneAxisAndItsGradient() {
        Tensor x = Tensor.of(BE, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(x.flip(1).toFloatArray()).containsExactly(3, 2, 1, 6, 5, 4);
        assertThat(x.flip(0).toFloatArray()).containsExactly(4, 5, 6, 1, 2, 3);
        assertThat(x.flip(-1).flip(-1).toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        check.check("flip axis 1 of rank 3", v -> v.flip(1).mul(v).tanh(), u(19, 2, 4, 3));
        check.check("flip axis 0", v -> v.flip(0).exp(), u(20, 3, 2));
    }

    @Test
    void indexSelectWithRepeatedIndices() {
        Tensor w = u(17, 4, 3);
        Tensor ids = Inputs.indices(BE, new float[] {2, 0, 2, 2, 3, 0}, 2, 3);
        check.check("embedding lookup (2,3) ids", v -> v.indexSelect(0, ids).tanh(), w);
        Tensor cols = Inputs.indices(BE, new float[] {1, 1, 0}, 3);
        check.check("indexSelect axis 1", v -> v.indexSelect(1, cols).exp(), w);
        check.check("indexSelect axis -1 of rank 3", v -> v.indexSelect(-1, cols).square(), u(18, 2, 2, 3));
        // repeated indices accumulate: row 2 is used three times
        Tensor wl = Tensor.ones(BE, 4, 3).requiresGrad(true);
        wl.indexSelect(0, ids).sum().backward();
        assertThat(wl.grad().toFloatArray()).containsExactly(2, 2, 2, 0, 0, 0, 3, 3, 3, 1, 1, 1);
        assertThat(w.indexSelect(0, ids).shape()).containsExactly(2, 3, 3);
    }

    @Test
    void gather() {
        Tensor x = u(19, 3, 4);
        Tensor rows = Inputs.indices(BE, new float[] {2, 0, 2, 1, 0, 0, 1, 1}, 2, 4);
        check.check("gather axis 0", v -> v.gather(0, rows).exp(), x);
        Tensor cols = Inputs.indices(BE, new float[] {3, 3, 0, 1, 2, 2}, 3, 2);
        check.check("gather axis 1", v -> v.gather(1, cols).square(), x);
        check.check("gather axis -1", v -> v.gather(-1, cols).tanh(), x);
        Tensor x3 = u(20, 2, 3, 2);
        Tensor mid = Inputs.indices(BE, new float[] {0, 2, 1, 1, 2, 2, 0, 0}, 2, 2, 2);
        check.check("gather axis 1 of rank 3", v -> v.gather(1, mid).sin(), x3);
        Tensor ones = Tensor.ones(BE, 3, 4).requiresGrad(true);
        ones.gather(1, cols).sum().backward();
        assertThat(ones.grad().toFloatArray()).containsExactly(0, 0, 0, 2, 1, 1, 0, 0, 0, 0, 2, 0);
    }
}
