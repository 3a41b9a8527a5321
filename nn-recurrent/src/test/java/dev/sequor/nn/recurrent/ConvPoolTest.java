package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.sequor.nn.recurrent.Checks.BE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Conv1d (stride, padding, dilation) and 1-D / 2-D max and average pooling: PyTorch's outputs and
 * gradients (tools/golden/gen_lecture.py) and finite differences.
 */
class ConvPoolTest {

    private static Golden fixture(String name) {
        return Golden.resource("lecture_" + name, "gen_lecture.py");
    }

    private static void conv(String name, int stride, int padding, int dilation) {
        Golden g = fixture(name);
        Tensor x = g.get("x").requiresGrad(true);
        Tensor w = g.get("weight").requiresGrad(true);
        Tensor b = g.get("bias").requiresGrad(true);
        Tensor y = Conv1d.conv1d(x, w, b, stride, padding, dilation);
        Checks.close(y.toFloatArray(), g.get("out.y").toFloatArray(), 1e-5, name + " y");
        assertThat(y.shape()).containsExactly(g.get("out.y").shape());
        y.mul(g.get("w.y")).sum().backward();
        Checks.close(x.grad().toFloatArray(), g.get("grad.x").toFloatArray(), 1e-5, name + " dx");
        Checks.close(w.grad().toFloatArray(), g.get("grad.weight").toFloatArray(), 1e-5, name + " dweight");
        Checks.close(b.grad().toFloatArray(), g.get("grad.bias").toFloatArray(), 1e-5, name + " dbias");
    }

    @Test
    void conv1dMatchesPyTorch() {
        conv("conv1d_plain", 1, 0, 1);
        conv("conv1d_tdnn", 1, 2, 2);
        conv("conv1d_strided", 3, 1, 3);
    }

    private static void pool(String name, Pooling p) {
        Golden g = fixture(name);
        Tensor x = g.get("x").requiresGrad(true);
        Tensor y = p.forward(x);
        assertThat(y.shape()).containsExactly(g.get("out.y").shape());
        Checks.close(y.toFloatArray(), g.get("out.y").toFloatArray(), 1e-6, name + " y");
        y.mul(g.get("w.y")).sum().backward();
        Checks.close(x.grad().toFloatArray(), g.get("grad.x").toFloatArray(), 1e-6, name + " dx");
    }

    @Test
    void poolingMatchesPyTorch() {
        pool("maxpool1d", new Pooling(Pooling.Kind.MAX, 1, 3, 2, 1));
        pool("avgpool1d", new Pooling(Pooling.Kind.AVG, 1, 3, 2, 1));
        pool("maxpool2d", new Pooling(Pooling.Kind.MAX, 2, 3, 2, 1));
        pool("avgpool2d", Pooling.avg2d(2));
    }

    @Test
    void conv1dGradientsMatchFiniteDifferences() {
        Conv1d conv = new Conv1d(BE, Conv1dConfig.of(2, 3, 3).withDilation(2).withPadding(1).withStride(2).withSeed(4));
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(1), 2, 2, 10).requiresGrad(true);
        List<Tensor> wrt = new ArrayList<>(conv.parameters());
        wrt.add(x);
        Checks.finiteDifferences(() -> Checks.weighted(conv.forward(x).tanh(), 5), wrt, 1e-2, 2e-3);
        assertThat(conv.forward(x).shape()).containsExactly(2, 3, 4);
        assertThat(conv.namedParameters().keySet()).containsExactlyInAnyOrder("weight", "bias");
    }

    @Test
    void poolingGradientsMatchFiniteDifferences() {
        // distinct values keep the max away from ties, where the gradient is a choice
        Tensor x1 = Tensor.uniform(BE, -1f, 1f, Seed.of(7), 2, 2, 9).requiresGrad(true);
        Checks.finiteDifferences(() -> Checks.weighted(Pooling.pool1d(x1, 3, 2, 1, true), 8), List.of(x1), 1e-3, 2e-3);
        Checks.finiteDifferences(() -> Checks.weighted(Pooling.pool1d(x1, 4, 1, 2, false), 8), List.of(x1), 1e-2, 2e-3);
        Tensor x2 = Tensor.uniform(BE, -1f, 1f, Seed.of(9), 1, 2, 5, 6).requiresGrad(true);
        Checks.finiteDifferences(() -> Checks.weighted(Pooling.pool2d(x2, 2, 2, 1, true), 8), List.of(x2), 1e-3, 2e-3);
        Checks.finiteDifferences(() -> Checks.weighted(Pooling.pool2d(x2, 3, 1, 1, false), 8), List.of(x2), 1e-2, 2e-3);
    }

    @Test
    void badShapesAndArgumentsAreNamed() {
        Tensor x = Tensor.zeros(BE, 2, 3, 5);
        assertThatThrownBy(() -> Conv1d.conv1d(x, Tensor.zeros(BE, 4, 2, 3), null, 1, 0, 1))
                .hasMessageContaining("[2, 3, 5]").hasMessageContaining("[4, 2, 3]");
        assertThatThrownBy(() -> Conv1d.conv1d(x, Tensor.zeros(BE, 4, 3, 3), null, 1, 0, 3))
                .hasMessageContaining("spans 7");
        assertThatThrownBy(() -> Pooling.pool2d(x, 2, 2, 0, true)).hasMessageContaining("(B, C, H, W)");
        assertThatThrownBy(() -> new Pooling(Pooling.Kind.MAX, 1, 2, 2, 2)).hasMessageContaining("padding=2");
        assertThat(Pooling.max1d(2).forward(x).shape()).containsExactly(2, 3, 2);
    }
}
