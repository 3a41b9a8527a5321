package dev.sequor.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Recomputes a few core fixtures in double precision from their stored inputs, so the README's account
 * of what they hold (reductions, ignore_index, the optimizer procedure) is checked, not just trusted.
 */
class CoreFixtureSemanticsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static SafeTensorsFile read(String name) throws IOException {
        return SafeTensors.read(GOLDEN.resolve(name + ".safetensors"));
    }

    @Test
    void mseMeanAndSum() throws IOException {
        for (String reduction : new String[] {"mean", "sum"}) {
            SafeTensorsFile f = read("loss_mse_" + reduction);
            TensorData x = f.get("input.input");
            TensorData y = f.get("input.target");
            double sum = 0;
            int n = x.size();
            for (int i = 0; i < n; i++) {
                double d = x.get(i) - y.get(i);
                sum += d * d;
            }
            double scale = reduction.equals("mean") ? 1.0 / n : 1.0;
            assertThat(f.get("output.loss").get(0)).isCloseTo((float) (sum * scale), within(1e-5f));
            for (int i = 0; i < n; i++) {
                double g = 2 * (x.get(i) - y.get(i)) * scale;
                assertThat((double) f.get("grad.input").get(i)).isCloseTo(g, within(1e-6));
                assertThat((double) f.get("grad.target").get(i)).isCloseTo(-g, within(1e-6));
            }
        }
    }

    @Test
    void crossEntropyMeanSkipsIgnoredRows() throws IOException {
        SafeTensorsFile f = read("loss_cross_entropy_mean");
        TensorData logits = f.get("input.logits");
        TensorData target = f.get("input.target");
        int rows = logits.dim(0);
        int classes = logits.dim(1);
        double total = 0;
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            int t = (int) target.get(r);
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits.get(r * classes + c));
            }
            double z = 0;
            for (int c = 0; c < classes; c++) {
                z += Math.exp(logits.get(r * classes + c) - max);
            }
            double logSumExp = max + Math.log(z);
            for (int c = 0; c < classes; c++) {
                float grad = f.get("grad.logits").get(r * classes + c);
                if (t == -100) {
                    assertThat(grad).isZero();
                }
            }
            if (t != -100) {
                total += logSumExp - logits.get(r * classes + t);
                counted++;
            }
        }
        assertThat(counted).isEqualTo(4);
        assertThat((double) f.get("output.loss").get(0)).isCloseTo(total / counted, within(1e-4));
        assertThat((double) read("loss_cross_entropy_sum").get("output.loss").get(0)).isCloseTo(total, within(1e-4));
    }

    @Test
    void sgdMomentumFollowsTheDocumentedProcedure() throws IOException {
        SafeTensorsFile f = read("optim_sgd_momentum");
        for (String p : new String[] {"w", "b"}) {
            float[] param = f.get("param." + p).data();
            float[] buf = null;
            for (int s = 1; s <= 3; s++) {
                float[] g = f.get("input.grad" + s + "." + p).data();
                if (buf == null) {
                    buf = g.clone();
                } else {
                    for (int i = 0; i < g.length; i++) {
                        buf[i] = 0.9f * buf[i] + g[i];
                    }
                }
                for (int i = 0; i < g.length; i++) {
                    param[i] -= 0.1f * buf[i];
                }
                float[] want = f.get("output.step" + s + "." + p).data();
                for (int i = 0; i < want.length; i++) {
                    assertThat(param[i]).as("%s step %d [%d]", p, s, i).isCloseTo(want[i], within(1e-6f));
                }
            }
        }
    }
}
