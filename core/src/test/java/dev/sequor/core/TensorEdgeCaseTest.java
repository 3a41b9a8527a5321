package dev.sequor.core;

import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Size-0 and size-1 dimensions, NaN and Inf propagation, through forward and backward. */
class TensorEdgeCaseTest {

    private static final Backend BE = Backends.get("reference");
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void sizeZeroForward() {
        Tensor e = Tensor.zeros(BE, 0, 3);
        assertThat(e.numel()).isZero();
        assertThat(e.exp().shape()).containsExactly(0, 3);
        assertThat(e.sum(0, false).toFloatArray()).containsExactly(0, 0, 0);
        assertThat(e.sum(1, false).shape()).containsExactly(0);
        assertThat(e.sum().item()).isZero();
        assertThat(e.mean(0, false).toFloatArray()).containsExactly(NAN, NAN, NAN);
        assertThat(e.add(Tensor.ones(BE, 3)).shape()).containsExactly(0, 3);
        assertThat(e.transpose(0, 1).shape()).containsExactly(3, 0);
        assertThat(e.softmax(1).shape()).containsExactly(0, 3);
        assertThat(Tensor.zeros(BE, 2, 0).logSumExp(1, false).toFloatArray()).containsExactly(Float.NEGATIVE_INFINITY,
                Float.NEGATIVE_INFINITY);
        // (2,0) @ (0,3): an empty inner dimension sums nothing
        assertThat(Tensor.ones(BE, 2, 0).matmul(Tensor.ones(BE, 0, 3)).toFloatArray()).containsExactly(0, 0, 0, 0, 0, 0);
        assertThat(Tensor.ones(BE, 2, 3).matmul(Tensor.ones(BE, 3, 0)).shape()).containsExactly(2, 0);
        Tensor x = Tensor.of(BE, new float[] {1, 2, 3}, 1, 3);
        assertThat(Tensor.concat(0, x, e).toFloatArray()).containsExactly(1, 2, 3);
        assertThat(x.narrow(1, 1, 0).shape()).containsExactly(1, 0);
        assertThat(x.indexSelect(1, Tensor.zeros(BE, 0)).shape()).containsExactly(1, 0);
        assertThat(e.reshape(-1, 3).shape()).containsExactly(0, 3);
        assertThat(e.reshape(3, 1, 0).shape()).containsExactly(3, 1, 0);
    }

    @Test
    void sizeZeroBackward() {
        Tensor e = Tensor.zeros(BE, 0, 3).requiresGrad(true);
        Tensor w = Tensor.ones(BE, 3, 2).requiresGrad(true);
        e.matmul(w).tanh().sum().backward();
        assertThat(e.grad().shape()).containsExactly(0, 3);
        assertThat(w.grad().toFloatArray()).containsExactly(0, 0, 0, 0, 0, 0);
        Tensor a = Tensor.ones(BE, 2, 0).requiresGrad(true);
        Tensor b = Tensor.ones(BE, 0, 3).requiresGrad(true);
        a.matmul(b).sum().backward();
        assertThat(a.grad().shape()).containsExactly(2, 0);
        assertThat(b.grad().shape()).containsExactly(0, 3);
        Tensor x = Tensor.of(BE, new float[] {1, 2}, 1, 2).requiresGrad(true);
        Tensor.concat(1, x, x.narrow(1, 0, 0)).mul(2f).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(2, 2);
    }

    @Test
    void sizeOneDimensions() {
        GradCheck check = GradCheck.on(BE);
        Tensor one = Inputs.uniform(BE, -1, 1, 1, 1, 1);
        check.check("(1,1) + (1)", Tensor::add, one, Inputs.uniform(BE, -1, 1, 2, 1));
        check.check("(1,1) * (3,1)", Tensor::mul, one, Inputs.uniform(BE, -1, 1, 3, 3, 1));
        Tensor x = Inputs.uniform(BE, -1, 1, 4, 2, 1, 3);
        check.check("sum over size-1 axis", v -> v.sum(1, false).exp(), x);
        check.check("max over size-1 axis", v -> v.max(1, true).exp(), x);
        check.check("logSumExp over size-1 axis", v -> v.logSumExp(-2, false).square(), x);
        check.check("softmax over size-1 axis", v -> v.softmax(1).mul(v), x);
        check.check("logSoftmax over size-1 axis", v -> v.logSoftmax(1).add(v.square()), x);
        check.check("matmul (1,1)@(1,1)", Tensor::matmul, one, Inputs.uniform(BE, -1, 1, 5, 1, 1));
        check.check("(2,1,3) @ (3,1)", Tensor::matmul, x, Inputs.uniform(BE, -1, 1, 6, 3, 1));
        assertThat(x.softmax(1).toFloatArray()).containsOnly(1f);
        assertThat(x.logSoftmax(1).toFloatArray()).containsOnly(0f);
    }

    @Test
    void nanAndInfPropagateForward() {
        Tensor x = Tensor.of(BE, new float[] {NAN, INF, -INF, 1});
        assertThat(x.add(Tensor.ones(BE, 4)).toFloatArray()).containsExactly(NAN, INF, -INF, 2);
        assertThat(x.exp().toFloatArray()).containsExactly(NAN, INF, 0, (float) Math.E);
        assertThat(x.tanh().toFloatArray()).containsExactly(NAN, 1, -1, (float) Math.tanh(1));
        assertThat(x.sigmoid().toFloatArray()).containsExactly(NAN, 1, 0, (float) (1 / (1 + Math.exp(-1))));
        assertThat(x.relu().toFloatArray()).containsExactly(NAN, INF, 0, 1);
        assertThat(x.sum().item()).isNaN();
        assertThat(x.narrow(0, 1, 2).sum().item()).isNaN(); // inf + -inf
        assertThat(x.narrow(0, 1, 3).max(0, false).item()).isEqualTo(INF);
        assertThat(x.max(0, false).item()).isNaN();
        assertThat(x.min(0, false).item()).isNaN();
        assertThat(x.maximum(Tensor.zeros(BE, 4)).toFloatArray()).containsExactly(NAN, INF, 0, 1);
        assertThat(x.logSumExp(0, false).item()).isNaN();
        assertThat(x.narrow(0, 1, 3).logSumExp(0, false).item()).isEqualTo(INF);
        assertThat(Tensor.full(BE, -INF, 3).logSumExp(0, false).item()).isEqualTo(-INF);
        assertThat(Tensor.of(BE, new float[] {0, -1}).log().toFloatArray()).containsExactly(-INF, NAN);
        assertThat(Tensor.of(BE, new float[] {INF, 1}).softmax(0).toFloatArray()).containsExactly(NAN, NAN);
        assertThat(Tensor.of(BE, new float[] {NAN, 1, 2}).softmax(0).toFloatArray()).containsOnly(NAN);
        assertThat(Tensor.full(BE, -INF, 2).softmax(0).toFloatArray()).containsOnly(NAN);
    }

    @Test
    void maskedSoftmaxGivesZerosNotNans() {
        // -inf entries (an attention mask) get probability 0 and gradient 0; the rest stay finite
        Tensor x = Tensor.of(BE, new float[] {-INF, 1, 2}).requiresGrad(true);
        Tensor p = x.softmax(0);
        assertThat(p.toFloatArray()).containsExactly(new float[] {0, 0.26894142f, 0.7310586f}, within(1e-7f));
        p.mul(Tensor.of(BE, new float[] {3, 1, 2})).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(new float[] {0, -0.19661193f, 0.19661193f}, within(1e-7f));
        Tensor y = Tensor.of(BE, new float[] {-INF, 1, 2}).requiresGrad(true);
        Tensor lp = y.logSoftmax(0);
        assertThat(lp.toFloatArray()[0]).isEqualTo(-INF);
        lp.narrow(0, 1, 2).mul(Tensor.of(BE, new float[] {1, 2})).sum().backward();
        assertThat(y.grad().toFloatArray()).containsExactly(new float[] {0, 0.19317574f, -0.19317574f}, within(1e-7f));
    }

    @Test
    void nanPropagatesBackward() {
        Tensor x = Tensor.of(BE, new float[] {NAN, 1}).requiresGrad(true);
        x.mul(x).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(NAN, 2);
        Tensor y = Tensor.of(BE, new float[] {1, 2}).requiresGrad(true);
        y.mul(Tensor.of(BE, new float[] {NAN, 3})).sum().backward();
        assertThat(y.grad().toFloatArray()).containsExactly(NAN, 3);
        Tensor z = Tensor.of(BE, new float[] {0, 4}).requiresGrad(true);
        z.sqrt().sum().backward();
        assertThat(z.grad().toFloatArray()).containsExactly(INF, 0.25f);
    }
}
