package dev.sequor.optim;

import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Optimizer updates against hand-computed values and a double-precision transcription of each rule. */
class OptimizerTest {

    private static final Backend BE = Backends.get("reference");

    private static Tensor param(float... v) {
        return Tensor.of(BE, v).requiresGrad(true);
    }

    private static void grad(Tensor p, float... g) {
        p.zeroGrad();
        OptimizerGoldenTest.setGrad(p, Tensor.of(BE, g));
    }

    @Test
    void sgdByHand() {
        Tensor p = param(1f);
        Sgd sgd = new Sgd(List.of(p), SgdConfig.of(0.1).withMomentum(0.9));
        grad(p, 1f);
        sgd.step(); // b = 1, p = 1 - 0.1
        assertThat(p.item()).isCloseTo(0.9f, within(1e-7f));
        grad(p, 1f);
        sgd.step(); // b = 0.9 + 1 = 1.9, p = 0.9 - 0.19
        assertThat(p.item()).isCloseTo(0.71f, within(1e-7f));

        Tensor n = param(1f);
        Sgd nesterov = new Sgd(List.of(n), SgdConfig.of(0.1).withMomentum(0.9).withNesterov(true));
        grad(n, 1f);
        nesterov.step(); // b = 1, d = 1 + 0.9, p = 1 - 0.19
        grad(n, 1f);
        nesterov.step(); // b = 1.9, d = 1 + 1.71, p = 0.81 - 0.271
        assertThat(n.item()).isCloseTo(0.539f, within(1e-7f));

        Tensor d = param(1f);
        Sgd damped = new Sgd(List.of(d), SgdConfig.of(0.1).withMomentum(0.9).withDampening(0.5));
        grad(d, 1f);
        damped.step(); // the first step takes the gradient undamped: b = 1
        grad(d, 1f);
        damped.step(); // b = 0.9 + 0.5, p = 0.9 - 0.14
        assertThat(d.item()).isCloseTo(0.76f, within(1e-7f));

        Tensor w = param(2f);
        Sgd decay = new Sgd(List.of(w), SgdConfig.of(0.1).withWeightDecay(0.1));
        grad(w, 1f);
        decay.step(); // d = 1 + 0.2, p = 2 - 0.12
        assertThat(w.item()).isCloseTo(1.88f, within(1e-7f));
    }

    @Test
    void adamAndAdamWByHand() {
        // with a constant gradient the bias-corrected ratio m_hat / sqrt(v_hat) is 1: each step moves lr
        Tensor p = param(1f, -1f);
        Adam adam = new Adam(List.of(p), AdamConfig.adam(0.1));
        for (int s = 0; s < 2; s++) {
            grad(p, 2f, -0.5f);
            adam.step();
        }
        assertThat(p.toFloatArray()).containsExactly(new float[] {0.8f, -0.8f}, within(2e-7f));

        Tensor q = param(1f);
        AdamW adamW = new AdamW(List.of(q), AdamConfig.adamW(0.1).withWeightDecay(0.1));
        grad(q, 2f);
        adamW.step(); // p (1 - 0.1 * 0.1) - 0.1
        assertThat(q.item()).isCloseTo(0.89f, within(1e-7f));

        Tensor r = param(1f);
        Adam l2 = new Adam(List.of(r), AdamConfig.adam(0.1).withWeightDecay(0.5));
        grad(r, 0f);
        l2.step(); // the gradient is all L2: 0.5 p, so the step is again lr
        assertThat(r.item()).isCloseTo(0.9f, within(1e-7f));
    }

    @Test
    void matchesADoublePrecisionTranscriptionOverManySteps() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 6;
        int steps = 8;
        float[] init = new float[n];
        for (int i = 0; i < n; i++) {
            init[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        float[][] grads = new float[steps][n];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < n; i++) {
                // decaying gradients make v shrink, so AMSGrad's maximum matters
                grads[s][i] = (float) ((rnd.nextDouble() * 2 - 1) * Math.pow(0.3, s));
            }
        }
        AdamConfig o = new AdamConfig(0.05, 0.8, 0.95, 1e-3, 0.2, true);
        run("adam amsgrad l2", p -> new Adam(List.of(p), o), init, grads, Reference.adam(o, false));
        run("adamw amsgrad", p -> new AdamW(List.of(p), o), init, grads, Reference.adam(o, true));
        AdamConfig plain = o.withAmsgrad(false);
        run("adam", p -> new Adam(List.of(p), plain), init, grads, Reference.adam(plain, false));
        SgdConfig so = SgdConfig.of(0.1).withMomentum(0.7).withDampening(0.2).withWeightDecay(0.3);
        run("sgd", p -> new Sgd(List.of(p), so), init, grads, Reference.sgd(so));
        SgdConfig nest = SgdConfig.of(0.1).withMomentum(0.7).withNesterov(true).withWeightDecay(0.3);
        run("nesterov", p -> new Sgd(List.of(p), nest), init, grads, Reference.sgd(nest));
    }

    private static void run(String name, Function<Tensor, Optimizer> make, float[] init,
                            float[][] grads, Reference ref) {
        Tensor p = Tensor.of(BE, init).requiresGrad(true);
        Optimizer opt = make.apply(p);
        double[] expected = new double[init.length];
        for (int i = 0; i < init.length; i++) {
            expected[i] = init[i];
        }
        for (int s = 0; s < grads.length; s++) {
            grad(p, grads[s]);
            opt.step();
            ref.step(expected, grads[s], s + 1);
            float[] actual = p.toFloatArray();
            for (int i = 0; i < init.length; i++) {
                assertThat((double) actual[i]).as("%s step %d [%d]", name, s + 1, i)
                        .isCloseTo(expected[i], within(2e-6 * Math.max(1, Math.abs(expected[i]))));
            }
        }
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor a = param(1f, 2f);
        Tensor b = param(3f);
        Map<String, Tensor> named = new LinkedHashMap<>();
        named.put("a", a);
        named.put("b", b);
        Adam adam = new Adam(named, AdamConfig.adam(0.1).withWeightDecay(0.5));
        grad(a, 1f, 1f);
        adam.step();
        assertThat(b.item()).isEqualTo(3f); // weight decay does not touch it either
        assertThat(adam.stateDict().scalars()).containsOnlyKeys("lr", "a.step");
        assertThat(adam.stateDict().tensors()).containsOnlyKeys("a.exp_avg", "a.exp_avg_sq");
        grad(b, 1f);
        a.zeroGrad();
        adam.step();
        assertThat(adam.stateDict().scalars()).containsEntry("a.step", 1.0).containsEntry("b.step", 1.0);
    }

    @Test
    void learningRateChangesTakeEffectAtTheNextStep() {
        Tensor p = param(0f);
        Sgd sgd = new Sgd(List.of(p), SgdConfig.of(1));
        sgd.setLr(0.25);
        grad(p, 1f);
        sgd.step();
        assertThat(p.item()).isEqualTo(-0.25f);
        assertThatThrownBy(() -> sgd.setLr(-1)).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> sgd.setLr(Double.NaN)).hasMessageContaining("learning rate");
    }

    @Test
    void badConfigurationsAreRejected() {
        Tensor p = param(1f);
        assertThatThrownBy(() -> SgdConfig.of(0.1).withNesterov(true)).hasMessageContaining("Nesterov");
        assertThatThrownBy(() -> AdamConfig.adam(0.1).withBetas(0.9, 1.0)).hasMessageContaining("betas");
        assertThatThrownBy(() -> new Sgd(List.of(), SgdConfig.of(0.1))).hasMessageContaining("no parameters");
        assertThatThrownBy(() -> new Sgd(List.of(p.mul(2f)), SgdConfig.of(0.1))).hasMessageContaining("leaf");
    }
}
