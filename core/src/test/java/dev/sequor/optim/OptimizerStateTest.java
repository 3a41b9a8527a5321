package dev.sequor.optim;

import dev.sequor.core.Seed;
import dev.sequor.core.Backends;
import dev.sequor.core.Tensor;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;
import dev.sequor.io.TensorData;
import dev.sequor.nn.Linear;
import dev.sequor.reference.ReferenceProvider;
import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checkpoint and resume through the state dict, and a training loop that does not grow memory. */
class OptimizerStateTest {

    private static final Backend BE = Backends.get("reference");

    /** One training step of a tiny regression: loss = mean((x W^T + b - y)^2). */
    private static void trainStep(Linear model, Optimizer opt, int s) {
        try (var scope = Tensor.scope()) {
            Tensor x = Tensor.uniform(model.backend(), -1, 1, Seed.of(100 + s), 5, 4);
            Tensor y = Tensor.uniform(model.backend(), -1, 1, Seed.of(200 + s), 5, 3);
            opt.zeroGrad();
            model.forward(x).sub(y).square().mean().backward();
            opt.step();
        }
    }

    @Test
    void resumingFromASafetensorsCheckpointContinuesExactly(@TempDir Path dir) throws IOException {
        for (Function<Linear, Optimizer> make : List.<Function<Linear, Optimizer>>of(
                m -> new Adam(m, AdamConfig.adam(0.05).withAmsgrad(true).withWeightDecay(0.01)),
                m -> new AdamW(m, AdamConfig.adamW(0.05)),
                m -> new Sgd(m, SgdConfig.of(0.1).withMomentum(0.9).withNesterov(true)))) {
            Linear a = new Linear(BE, 4, 3, true, Seed.of(1));
            Optimizer optA = make.apply(a);
            for (int s = 0; s < 3; s++) {
                trainStep(a, optA, s);
            }
            Path file = dir.resolve("ckpt.safetensors");
            save(file, a.stateDict(), optA.stateDict());

            Linear b = new Linear(BE, 4, 3, true, Seed.of(99)); // different initial weights, overwritten by the load
            Optimizer optB = make.apply(b);
            SafeTensorsFile f = SafeTensors.read(file);
            b.loadStateDict(prefixed(f, "model."), true);
            optB.loadStateDict(new Optimizer.State(prefixed(f, "optim."), scalars(f)));
            assertThat(optB.stateDict().scalars()).isEqualTo(optA.stateDict().scalars());

            for (int s = 3; s < 6; s++) {
                trainStep(a, optA, s);
                trainStep(b, optB, s);
            }
            assertThat(b.weight().toFloatArray()).containsExactly(a.weight().toFloatArray());
            assertThat(b.bias().toFloatArray()).containsExactly(a.bias().toFloatArray());
        }
    }

    private static void save(Path file, Map<String, Tensor> model, Optimizer.State state) throws IOException {
        Map<String, TensorData> out = new LinkedHashMap<>();
        model.forEach((k, v) -> out.put("model." + k, TensorData.of(v.shape(), v.toFloatArray())));
        state.tensors().forEach((k, v) -> out.put("optim." + k, TensorData.of(v.shape(), v.toFloatArray())));
        Map<String, String> meta = new LinkedHashMap<>();
        state.scalars().forEach((k, v) -> meta.put(k, Double.toString(v)));
        SafeTensors.write(file, out, meta);
    }

    private static Map<String, Tensor> prefixed(SafeTensorsFile f, String prefix) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        f.tensors().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), OptimizerGoldenTest.tensor(v));
            }
        });
        return m;
    }

    private static Map<String, Double> scalars(SafeTensorsFile f) {
        Map<String, Double> m = new LinkedHashMap<>();
        f.metadata().forEach((k, v) -> m.put(k, Double.parseDouble(v)));
        return m;
    }

    @Test
    void stateDictUsesPyTorchBufferNamesAndParameterNames() {
        Linear m = new Linear(BE, 2, 2, true, Seed.of(3));
        Adam adam = new Adam(m, AdamConfig.adam(0.01).withAmsgrad(true));
        trainStepTiny(m, adam);
        assertThat(adam.stateDict().tensors()).containsOnlyKeys("weight.exp_avg", "weight.exp_avg_sq",
                "weight.max_exp_avg_sq", "bias.exp_avg", "bias.exp_avg_sq", "bias.max_exp_avg_sq");
        assertThat(adam.stateDict().scalars()).containsEntry("lr", 0.01).containsEntry("weight.step", 1.0);
        Sgd sgd = new Sgd(List.of(m.weight()), SgdConfig.of(0.1).withMomentum(0.5));
        trainStepTiny(m, sgd);
        assertThat(sgd.stateDict().tensors()).containsOnlyKeys("0.momentum_buffer");
    }

    private static void trainStepTiny(Linear m, Optimizer opt) {
        opt.zeroGrad();
        m.forward(Tensor.ones(BE, 1, 2)).sum().backward();
        opt.step();
    }

    @Test
    void stateMovesBetweenBackends() {
        Backend other = new ReferenceProvider().create(); // a second instance: a different backend to Tensor
        Linear a = new Linear(BE, 2, 2, true, Seed.of(3));
        Adam optA = new Adam(a, AdamConfig.adam(0.01));
        trainStepTiny(a, optA);
        Linear b = new Linear(other, 2, 2, true, Seed.of(3));
        Adam optB = new Adam(b, AdamConfig.adam(0.01));
        optB.loadStateDict(optA.stateDict());
        Tensor moved = optB.stateDict().tensors().get("weight.exp_avg_sq");
        assertThat(moved.backend()).isSameAs(other);
        assertThat(moved.toFloatArray()).containsExactly(optA.stateDict().tensors().get("weight.exp_avg_sq").toFloatArray());
    }

    @Test
    void badStateIsRejectedWholeAndNamesEveryProblem() {
        Linear m = new Linear(BE, 2, 2, true, Seed.of(3));
        Adam adam = new Adam(m, AdamConfig.adam(0.01));
        trainStepTiny(m, adam);
        float[] before = adam.stateDict().tensors().get("weight.exp_avg").toFloatArray();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weight.exp_avg", Tensor.zeros(BE, 2, 2));
        tensors.put("bias.exp_avg", Tensor.zeros(BE, 3));
        tensors.put("nope.exp_avg", Tensor.zeros(BE, 2));
        tensors.put("weight.momentum", Tensor.zeros(BE, 2, 2));
        Map<String, Double> scalars = Map.of("weight.step", 1.5);
        assertThatThrownBy(() -> adam.loadStateDict(new Optimizer.State(tensors, scalars)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bias.exp_avg': expected shape [2] but got [3]")
                .hasMessageContaining("'nope.exp_avg': no parameter")
                .hasMessageContaining("unknown buffer 'momentum'")
                .hasMessageContaining("'weight.step'");
        assertThat(adam.stateDict().tensors().get("weight.exp_avg").toFloatArray()).containsExactly(before);
        assertThat(adam.stateDict().scalars()).containsEntry("weight.step", 1.0);
    }

    @Test
    void aStepAllocatesOneScratchTensorPerParameter() {
        long[] allocations = new long[1];
        Backend inner = new ReferenceProvider().create();
        // the reference backend, counting allocate() calls
        Backend be = (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("allocate")) {
                        allocations[0]++;
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Linear model = new Linear(be, 4, 3, true, Seed.of(7));
        for (Optimizer opt : List.of(new Adam(model, AdamConfig.adam(0.01).withAmsgrad(true)),
                new AdamW(model, AdamConfig.adamW(0.01)), new Sgd(model, SgdConfig.of(0.1).withMomentum(0.9)),
                new Sgd(model, SgdConfig.of(0.1).withMomentum(0.9).withNesterov(true)))) {
            trainStep(model, opt, 0); // creates the state
            opt.zeroGrad();
            model.forward(Tensor.ones(be, 2, 4)).sum().backward();
            long before = allocations[0];
            opt.step();
            assertThat(allocations[0] - before).as(opt.getClass().getSimpleName()).isEqualTo(2);
        }
    }

    @Test
    void trainingLoopMemoryIsConstant() {
        // a backend of our own, so no other test's tensors (or the Cleaner freeing them) move the count
        Backend be = new ReferenceProvider().create();
        Linear model;
        try (var scope = Tensor.scope()) {
            // the initial values Linear draws are temporaries: the scope frees them now, not the Cleaner later
            model = new Linear(be, 4, 3, true, Seed.of(7));
        }
        Adam adam = new Adam(model, AdamConfig.adam(0.01).withAmsgrad(true).withWeightDecay(0.1));
        Sgd sgd = new Sgd(model, SgdConfig.of(0.01).withMomentum(0.9).withNesterov(true).withWeightDecay(0.1));
        CosineAnnealingLr schedule = new CosineAnnealingLr(adam, 200, 1e-4);
        long[] live = new long[200];
        for (int s = 0; s < 200; s++) {
            trainStep(model, s % 2 == 0 ? adam : sgd, s);
            Clip.clipGradNorm(model.parameters(), 0.5, 2);
            Clip.clipGradValue(model.parameters(), 0.1);
            schedule.step();
            live[s] = be.liveBuffers();
        }
        // after warm-up: parameters, their gradients and every optimizer buffer, nothing else
        for (int s = 2; s < 200; s++) {
            assertThat(live[s]).as("live buffers after step %d", s).isEqualTo(live[1]);
        }
        // 2 params + 2 grads + Adam's 3 moments per param + SGD's momentum per param
        assertThat(live[199]).isEqualTo(2 + 2 + 6 + 2);
    }
}
