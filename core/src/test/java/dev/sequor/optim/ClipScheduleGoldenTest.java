package dev.sequor.optim;

import dev.sequor.core.Tensor;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.sequor.optim.OptimizerGoldenTest.assertClose;
import static dev.sequor.optim.OptimizerGoldenTest.setGrad;
import static dev.sequor.optim.OptimizerGoldenTest.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Clipping, schedules and a schedule-driven AdamW with skipped steps against PyTorch (tools/golden/gen_optim.py). */
class ClipScheduleGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final String[] CLIP_PARAMS = {"w", "b", "u"};

    private static SafeTensorsFile read(String name) throws IOException {
        return SafeTensors.read(GOLDEN.resolve(name + ".safetensors"));
    }

    private static Map<String, Tensor> paramsWithGrads(SafeTensorsFile f) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String k : CLIP_PARAMS) {
            Tensor g = tensor(f.get("input.grad." + k));
            Tensor p = g.zerosLike().requiresGrad(true);
            setGrad(p, g);
            params.put(k, p);
        }
        return params;
    }

    @Test
    void clipGradNorm() throws IOException {
        SafeTensorsFile f = read("optim_clip_grad_norm");
        Map<String, double[]> cases = Map.of("l2_clipped", new double[] {1, 2}, "l2_unclipped", new double[] {100, 2},
                "inf_clipped", new double[] {0.5, Double.POSITIVE_INFINITY}, "l1_clipped", new double[] {2, 1});
        for (Map.Entry<String, double[]> c : cases.entrySet()) {
            Map<String, Tensor> params = paramsWithGrads(f);
            double total = Clip.clipGradNorm(params.values(), c.getValue()[0], c.getValue()[1]);
            double expected = f.get("output." + c.getKey() + ".total_norm").get(0);
            assertThat(total).as(c.getKey()).isCloseTo(expected, within(1e-6 * expected));
            for (String k : CLIP_PARAMS) {
                assertClose(c.getKey() + " " + k, params.get(k).grad().toFloatArray(),
                        f.get("output." + c.getKey() + ".grad." + k).data());
            }
        }
    }

    @Test
    void clipGradValue() throws IOException {
        SafeTensorsFile f = read("optim_clip_grad_value");
        Map<String, Tensor> params = paramsWithGrads(f);
        Clip.clipGradValue(params.values(), 0.5);
        for (String k : CLIP_PARAMS) {
            assertThat(params.get(k).grad().toFloatArray()).containsExactly(f.get("output.grad." + k).data());
        }
    }

    @Test
    void schedules() throws IOException {
        SafeTensorsFile f = read("optim_lr_schedules");
        Sgd a = new Sgd(List.of(Tensor.zeros(1).requiresGrad(true)), SgdConfig.of(0.1));
        Sgd b = new Sgd(List.of(Tensor.zeros(1).requiresGrad(true)), SgdConfig.of(0.1));
        StepLr step = new StepLr(a, 3, 0.5);
        CosineAnnealingLr cosine = new CosineAnnealingLr(b, 7, 0.001);
        float[] stepLrs = f.get("output.step_lr").data();
        float[] cosineLrs = f.get("output.cosine").data();
        for (int e = 0; e < 20; e++) {
            // PyTorch's rates are doubles stored as float32: compare after the same rounding
            assertThat((float) a.lr()).as("StepLR epoch %d", e).isEqualTo(stepLrs[e]);
            assertThat((float) b.lr()).as("cosine epoch %d", e).isCloseTo(cosineLrs[e], within(1e-6f * cosineLrs[e]));
            a.step();
            step.step();
            b.step();
            cosine.step();
        }
    }

    @Test
    void adamWWithCosineScheduleAndSkippedSteps() throws IOException {
        SafeTensorsFile f = read("optim_trace_adamw_cosine");
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (String k : new String[] {"w", "b"}) {
            params.put(k, tensor(f.get("param." + k)).requiresGrad(true));
        }
        AdamW opt = new AdamW(params, new AdamConfig(0.05, 0.8, 0.9, 1e-6, 0.1, true));
        CosineAnnealingLr schedule = new CosineAnnealingLr(opt, 4, 0.005);
        for (int s = 1; s <= 5; s++) {
            opt.zeroGrad();
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                String key = "input.grad" + s + "." + e.getKey();
                if (f.contains(key)) {
                    setGrad(e.getValue(), tensor(f.get(key)));
                }
            }
            opt.step();
            schedule.step();
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                assertClose("step " + s + " " + e.getKey(), e.getValue().toFloatArray(),
                        f.get("output.step" + s + "." + e.getKey()).data());
            }
        }
        assertThat(opt.stateDict().scalars()).containsEntry("w.step", 5.0).containsEntry("b.step", 3.0);
    }
}
