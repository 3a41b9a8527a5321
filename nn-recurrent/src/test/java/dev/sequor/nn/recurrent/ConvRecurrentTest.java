package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sequor.nn.recurrent.Checks.BE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Conv2d, ConvLSTM and ConvGRU: finite differences, and with 1x1 kernels the equations reduce to an
 * LSTM / Cho GRU cell applied at every pixel, which the (independently tested) cells compute.
 */
class ConvRecurrentTest {

    @Test
    void conv2dGradientsMatchFiniteDifferences() {
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(1), 2, 2, 4, 5).requiresGrad(true);
        Tensor w = Tensor.uniform(BE, -1f, 1f, Seed.of(2), 3, 2, 3, 3).requiresGrad(true);
        Tensor b = Tensor.uniform(BE, -1f, 1f, Seed.of(3), 3).requiresGrad(true);
        Checks.finiteDifferences(() -> Checks.weighted(Conv2d.conv2d(x, w, b, 1, 2), 4), List.of(x, w, b), 1e-2, 1e-3);
    }

    @Test
    void convLstmGradientsMatchFiniteDifferences() {
        ConvLstmCell cell = new ConvLstmCell(BE, 2, 3, 3, Seed.of(5));
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(6), 2, 2, 4, 3).requiresGrad(true);
        Tensor h = Tensor.uniform(BE, -1f, 1f, Seed.of(7), 2, 3, 4, 3).requiresGrad(true);
        Tensor c = Tensor.uniform(BE, -1f, 1f, Seed.of(8), 2, 3, 4, 3).requiresGrad(true);
        List<Tensor> wrt = new ArrayList<>(cell.parameters());
        wrt.addAll(List.of(x, h, c));
        Checks.finiteDifferences(() -> {
            RecurrentState s = cell.forward(x, cell.forward(x, new RecurrentState(h, c)));
            return Checks.weighted(s.h(), 9).add(Checks.weighted(s.c(), 10));
        }, wrt, 1e-2, 3e-3);
    }

    @Test
    void convGruGradientsMatchFiniteDifferences() {
        ConvGruCell cell = new ConvGruCell(BE, 2, 3, 3, Seed.of(6));
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(6), 2, 2, 3, 4).requiresGrad(true);
        Tensor h = Tensor.uniform(BE, -1f, 1f, Seed.of(7), 2, 3, 3, 4).requiresGrad(true);
        List<Tensor> wrt = new ArrayList<>(cell.parameters());
        wrt.addAll(List.of(x, h));
        Checks.finiteDifferences(() -> Checks.weighted(cell.forward(x, cell.forward(x, h)), 9), wrt, 1e-2, 3e-3);
    }

    /** (B, C, H, W) -> (B*H*W, C): every pixel a batch row. */
    private static Tensor pixels(Tensor maps) {
        int c = maps.size(1);
        return maps.permute(0, 2, 3, 1).reshape(-1, c);
    }

    @Test
    void oneByOneConvLstmIsAnLstmCellAtEveryPixel() {
        int in = 2;
        int hid = 3;
        ConvLstmCell conv = new ConvLstmCell(BE, in, hid, 1, Seed.of(3));
        Tensor w = conv.namedParameters().get("conv.weight").reshape(4 * hid, in + hid);
        LstmCell cell = new LstmCell(BE, LstmConfig.of(in, hid));
        cell.loadStateDict(Map.of("weight_ih", w.narrow(1, 0, in), "weight_hh", w.narrow(1, in, hid),
                "bias_ih", conv.namedParameters().get("conv.bias"), "bias_hh", Tensor.zeros(BE, 4 * hid)), true);
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(4), 2, in, 3, 2);
        Tensor h = Tensor.uniform(BE, -1f, 1f, Seed.of(5), 2, hid, 3, 2);
        Tensor c = Tensor.uniform(BE, -1f, 1f, Seed.of(6), 2, hid, 3, 2);
        RecurrentState a = conv.forward(x, new RecurrentState(h, c));
        RecurrentState b = cell.forward(pixels(x), new RecurrentState(pixels(h), pixels(c)));
        Checks.close(pixels(a.h()).toFloatArray(), b.h().toFloatArray(), 1e-6, "H_t");
        Checks.close(pixels(a.c()).toFloatArray(), b.c().toFloatArray(), 1e-6, "C_t");
    }

    @Test
    void oneByOneConvGruIsAChoGruCellAtEveryPixel() {
        int in = 2;
        int hid = 3;
        ConvGruCell conv = new ConvGruCell(BE, in, hid, 1, Seed.of(4));
        Map<String, Tensor> p = conv.namedParameters();
        Tensor wg = p.get("conv_gates.weight").reshape(2 * hid, in + hid);
        Tensor wn = p.get("conv_can.weight").reshape(hid, in + hid);
        GruCell cell = new GruCell(BE, GruConfig.of(in, hid).withResetAfter(false));
        cell.loadStateDict(Map.of(
                "weight_ih", Tensor.concat(0, wg.narrow(1, 0, in), wn.narrow(1, 0, in)),
                "weight_hh", Tensor.concat(0, wg.narrow(1, in, hid), wn.narrow(1, in, hid)),
                "bias_ih", Tensor.concat(0, p.get("conv_gates.bias"), p.get("conv_can.bias")),
                "bias_hh", Tensor.zeros(BE, 3 * hid)), true);
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(4), 2, in, 2, 3);
        Tensor h = Tensor.uniform(BE, -1f, 1f, Seed.of(5), 2, hid, 2, 3);
        Checks.close(pixels(conv.forward(x, h)).toFloatArray(), cell.forward(pixels(x), pixels(h)).toFloatArray(),
                1e-6, "H_t");
    }

    @Test
    void convCellsCheckShapes() {
        ConvLstmCell cell = new ConvLstmCell(BE, 2, 3, 3, Seed.of(1));
        assertThatThrownBy(() -> cell.forward(Tensor.zeros(BE, 1, 4, 5, 5), null))
                .hasMessageContaining("ConvLstmCell").hasMessageContaining("[1, 4, 5, 5]");
        assertThatThrownBy(() -> cell.forward(Tensor.zeros(BE, 1, 2, 5, 5),
                new RecurrentState(Tensor.zeros(BE, 1, 3, 4, 5), Tensor.zeros(BE, 1, 3, 5, 5))))
                .hasMessageContaining("state h").hasMessageContaining("[1, 3, 4, 5]").hasMessageContaining("[1, 3, 5, 5]");
        assertThatThrownBy(() -> Conv2d.conv2d(Tensor.zeros(BE, 1, 2, 5, 5), Tensor.zeros(BE, 3, 4, 3, 3), null, 1, 1))
                .hasMessageContaining("conv2d").hasMessageContaining("[3, 4, 3, 3]");
        assertThat(cell.forward(Tensor.zeros(BE, 1, 2, 5, 5), null).h().shape()).containsExactly(1, 3, 5, 5);
    }
}
