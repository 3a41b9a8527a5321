package dev.sequor.core;

import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The rules of the tape: accumulation, detach, disabled recording, one backward per graph. */
class AutogradBehaviourTest {

    private static final Backend BE = Backends.get("reference");

    @Test
    void gradCheckCatchesAWrongGradient() {
        // x.detach() * x has value x^2 but a tape that only sees one factor: analytic x, numeric 2x
        Tensor x = Inputs.uniform(BE, 0.5, 1.5, 1, 3);
        assertThatThrownBy(() -> GradCheck.on(BE).check("detached factor", v -> v.detach().mul(v), x))
                .isInstanceOf(AssertionError.class).hasMessageContaining("analytic");
    }

    @Test
    void aTensorUsedTwiceAccumulatesBothPaths() {
        Tensor x = Tensor.of(BE, new float[] {1, 2, -3}).requiresGrad(true);
        x.mul(x).add(x).sum().backward(); // d/dx (x^2 + x) = 2x + 1
        assertThat(x.grad().toFloatArray()).containsExactly(3, 5, -5);
        GradCheck.on(BE).check("diamond", v -> {
            Tensor h = v.tanh();
            return h.mul(h.exp()).add(h.sin()).mul(v);
        }, Inputs.uniform(BE, -1, 1, 2, 2, 3));
    }

    @Test
    void leafGradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor x = Tensor.of(BE, new float[] {1, 2}).requiresGrad(true);
        x.mul(3f).sum().backward();
        x.mul(x).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(5, 7);
        x.zeroGrad();
        assertThat(x.grad()).isNull();
        x.mul(2f).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(2, 2);
    }

    @Test
    void detachStopsGradients() {
        Tensor x = Tensor.of(BE, new float[] {2, 3}).requiresGrad(true);
        Tensor d = x.detach();
        assertThat(d.requiresGrad()).isFalse();
        assertThat(d.isLeaf()).isTrue();
        x.mul(d).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(2, 3); // not 2x
        assertThat(d.grad()).isNull();
        Tensor y = x.exp();
        Tensor z = y.detach().mul(x).sum();
        x.zeroGrad();
        z.backward();
        assertThat(x.grad().toFloatArray()).containsExactly(new float[] {(float) Math.exp(2), (float) Math.exp(3)}, within(1e-5f));
    }

    @Test
    void gradDisabledRecordsNothing() {
        Tensor x = Tensor.of(BE, new float[] {1, 2}).requiresGrad(true);
        Tensor y;
        try (Grad g = Grad.disabled()) {
            assertThat(Grad.isEnabled()).isFalse();
            y = x.exp().reshape(1, 2).matmul(x.reshape(2, 1).mul(x.reshape(1, 2))).softmax(-1).sum();
            try (Grad inner = Grad.disabled()) {
                assertThat(Grad.isEnabled()).isFalse();
            }
            assertThat(Grad.isEnabled()).isFalse();
        }
        assertThat(Grad.isEnabled()).isTrue();
        assertThat(y.requiresGrad()).isFalse();
        assertThat(y.isLeaf()).isTrue();
        assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not require grad").hasMessageContaining("Grad.disabled");
        assertThat(x.grad()).isNull();
    }

    @Test
    void backwardTwiceThrowsAClearError() {
        Tensor x = Tensor.of(BE, new float[] {1, 2}).requiresGrad(true);
        Tensor loss = x.exp().sum();
        loss.backward();
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("second time").hasMessageContaining("forward pass again");
        // a new forward pass over the same leaf works
        x.exp().sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(
                new float[] {(float) (2 * Math.exp(1)), (float) (2 * Math.exp(2))}, within(1e-5f));
    }

    @Test
    void backwardThroughPartOfAFreedGraphThrows() {
        Tensor x = Tensor.of(BE, new float[] {1, 2}).requiresGrad(true);
        Tensor h = x.exp();
        h.sum().backward();
        assertThatThrownBy(() -> h.mul(2f).sum().backward()).hasMessageContaining("second time");
    }

    @Test
    void backwardNeedsAScalarOrAnExplicitGradient() {
        Tensor x = Tensor.of(BE, new float[] {1, 2}).requiresGrad(true);
        Tensor y = x.mul(2f);
        assertThatThrownBy(y::backward).hasMessageContaining("one-element").hasMessageContaining("[2]");
        assertThatThrownBy(() -> x.mul(2f).backward(Tensor.ones(BE, 3))).hasMessageContaining("[3]")
                .hasMessageContaining("[2]");
        y.backward(Tensor.of(BE, new float[] {1, -1}));
        assertThat(x.grad().toFloatArray()).containsExactly(2, -2);
    }

    @Test
    void onlyInputsThatRequireGradReceiveOne() {
        Tensor a = Tensor.of(BE, new float[] {1, 2}).requiresGrad(true);
        Tensor b = Tensor.of(BE, new float[] {3, 4});
        a.mul(b).div(b.add(1f)).pow(b).sum().backward();
        assertThat(a.grad()).isNotNull();
        assertThat(b.grad()).isNull();
        assertThat(b.requiresGrad()).isFalse();
    }

    @Test
    void nonLeafCannotTurnGradientsOff() {
        Tensor x = Tensor.of(BE, new float[] {1}).requiresGrad(true);
        assertThatThrownBy(() -> x.exp().requiresGrad(false)).hasMessageContaining("detach");
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        // a long BPTT-like chain: h = 0.5 h + x, 20000 times; dh/dx = sum_k 0.5^k -> 2
        Tensor x = Tensor.of(BE, new float[] {1}).requiresGrad(true);
        try (Scope s = Tensor.scope()) {
            Tensor h = x;
            for (int i = 0; i < 20000; i++) {
                h = h.mul(0.5f).add(x);
            }
            h.sum().backward();
        }
        assertThat(x.grad().item()).isCloseTo(2f, within(1e-6f));
    }

    @Test
    void recordOpJoinsTheTape() {
        // a custom op y = x^3 (computed untracked) with its hand-written backward 3 x^2 g, inside a graph
        GradCheck.on(BE).check("recordOp cube", (x, w) -> {
            Tensor y;
            try (Grad g = Grad.disabled()) {
                y = x.mul(x).mul(x);
            }
            Tensor cube = CustomOp.record("cube", y, g -> new Tensor[] {g.mul(x.square()).mul(3f)}, x);
            return cube.mul(w).tanh();
        }, Inputs.uniform(BE, -1, 1, 3, 2, 3), Inputs.uniform(BE, -1, 1, 4, 3));
        Tensor x = Tensor.of(BE, new float[] {1}).requiresGrad(true);
        Tensor recorded = x.exp();
        assertThatThrownBy(() -> CustomOp.record("again", recorded, g -> new Tensor[] {g}, x))
                .hasMessageContaining("again").hasMessageContaining("already");
    }

    @Test
    void backwardFromALeafGivesOnes() {
        Tensor x = Tensor.of(BE, new float[] {4}).reshape().detach().requiresGrad(true);
        x.backward();
        assertThat(x.grad().item()).isEqualTo(1f);
    }
}
