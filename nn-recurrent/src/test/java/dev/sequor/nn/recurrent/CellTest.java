package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Module;
import dev.sequor.spi.RnnActivation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.sequor.nn.recurrent.Checks.BE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Cells against PyTorch's LSTMCell/GRUCell/RNNCell, and the variants against their equations and finite differences. */
class CellTest {

    private interface Step {
        Tensor[] run(Tensor x, Tensor h, Tensor c);
    }

    private static void golden(String fixture, Module cell, Step step) {
        Golden g = Golden.load(fixture);
        cell.loadStateDict(g.withPrefix("param."), true);
        boolean lstm = g.has("c0");
        Tensor x = g.get("x").requiresGrad(true);
        Tensor h0 = g.get("h0").requiresGrad(true);
        Tensor c0 = lstm ? g.get("c0").requiresGrad(true) : null;
        Tensor[] r = step.run(x, h0, c0);
        Checks.close(r[0].toFloatArray(), g.get("out.h").toFloatArray(), 1e-5, fixture + " h");
        Tensor loss = r[0].mul(g.get("w.h")).sum();
        if (lstm) {
            Checks.close(r[1].toFloatArray(), g.get("out.c").toFloatArray(), 1e-5, fixture + " c");
            loss = loss.add(r[1].mul(g.get("w.c")).sum());
        }
        loss.backward();
        Checks.close(x.grad().toFloatArray(), g.get("grad.x").toFloatArray(), 1e-4, fixture + " dx");
        Checks.close(h0.grad().toFloatArray(), g.get("grad.h0").toFloatArray(), 1e-4, fixture + " dh0");
        if (lstm) {
            Checks.close(c0.grad().toFloatArray(), g.get("grad.c0").toFloatArray(), 1e-4, fixture + " dc0");
        }
        Map<String, Tensor> p = cell.namedParameters();
        g.withPrefix("grad.param.").forEach((k, v) ->
                Checks.close(p.get(k).grad().toFloatArray(), v.toFloatArray(), 1e-4, fixture + " d" + k));
    }

    @Test
    void lstmCellMatchesPyTorch() {
        LstmCell cell = new LstmCell(BE, LstmConfig.of(3, 4));
        golden("lstm_cell", cell, (x, h, c) -> {
            RecurrentState s = cell.forward(x, new RecurrentState(h, c));
            return new Tensor[] {s.h(), s.c()};
        });
    }

    @Test
    void gruCellMatchesPyTorch() {
        GruCell cell = new GruCell(BE, GruConfig.of(3, 4));
        golden("gru_cell", cell, (x, h, c) -> new Tensor[] {cell.forward(x, h)});
    }

    @Test
    void rnnCellsMatchPyTorch() {
        RnnCell tanh = new RnnCell(BE, RnnConfig.of(3, 4));
        golden("rnn_cell_tanh", tanh, (x, h, c) -> new Tensor[] {tanh.forward(x, h)});
        RnnCell relu = new RnnCell(BE, RnnConfig.of(3, 4).withNonlinearity(RnnActivation.RELU));
        golden("rnn_cell_relu", relu, (x, h, c) -> new Tensor[] {relu.forward(x, h)});
    }

    private static void variantGradients(LstmConfig cfg) {
        LstmCell cell = new LstmCell(BE, cfg);
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(21), 2, cfg.inputSize()).requiresGrad(true);
        Tensor h = Tensor.uniform(BE, -1f, 1f, Seed.of(22), 2, cfg.outputSize()).requiresGrad(true);
        Tensor c = Tensor.uniform(BE, -1f, 1f, Seed.of(23), 2, cfg.hiddenSize()).requiresGrad(true);
        List<Tensor> wrt = new ArrayList<>(cell.parameters());
        wrt.add(x);
        wrt.add(h);
        wrt.add(c);
        Checks.finiteDifferences(() -> {
            RecurrentState s = cell.forward(x, new RecurrentState(h, c));
            // a second step makes c_t and h_t both reach the loss through the recurrence
            RecurrentState s2 = cell.forward(x, s);
            return Checks.weighted(s2.h(), 5).add(Checks.weighted(s2.c(), 6));
        }, wrt, 1e-2, 3e-3);
    }

    @Test
    void peepholeGradients() {
        variantGradients(LstmConfig.of(3, 4).withPeephole(true).withSeed(Seed.of(1)));
    }

    @Test
    void coupledPeepholeGradients() {
        variantGradients(LstmConfig.of(3, 4).withCoupled(true).withPeephole(true).withSeed(Seed.of(2)));
    }

    @Test
    void layerNormGradients() {
        variantGradients(LstmConfig.of(3, 4).withLayerNorm(true).withSeed(Seed.of(3)));
    }

    @Test
    void projectionGradients() {
        variantGradients(LstmConfig.of(3, 5).withProjSize(2).withSeed(Seed.of(4)));
    }

    @Test
    void peepholeAndCoupledFollowTheirEquations() {
        // H = 1, in = 1: every gate is a scalar, so the equations can be written out in doubles
        LstmCell cell = new LstmCell(BE, LstmConfig.of(1, 1).withPeephole(true).withCoupled(true));
        Map<String, Tensor> p = cell.namedParameters();
        assertThat(p.keySet()).containsExactly("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_cf", "weight_co");
        float[] wih = {0.3f, -0.5f, 0.9f};   // f, g, o
        float[] whh = {0.2f, 0.7f, -0.4f};
        float[] bih = {0.1f, -0.1f, 0.2f};
        float[] bhh = {0.05f, 0.0f, -0.3f};
        p.get("weight_ih").assign(Tensor.of(BE, wih, 3, 1));
        p.get("weight_hh").assign(Tensor.of(BE, whh, 3, 1));
        p.get("bias_ih").assign(Tensor.of(BE, bih, 3));
        p.get("bias_hh").assign(Tensor.of(BE, bhh, 3));
        p.get("weight_cf").assign(Tensor.of(BE, new float[] {0.6f}, 1));
        p.get("weight_co").assign(Tensor.of(BE, new float[] {-0.8f}, 1));
        double x = 0.4;
        double h = -0.2;
        double c = 0.9;
        RecurrentState s = cell.forward(Tensor.of(BE, new float[] {(float) x}, 1, 1),
                new RecurrentState(Tensor.of(BE, new float[] {(float) h}, 1, 1), Tensor.of(BE, new float[] {(float) c}, 1, 1)));
        double f = sig(wih[0] * x + bih[0] + whh[0] * h + bhh[0] + 0.6f * c);
        double i = 1 - f;
        double g = Math.tanh(wih[1] * x + bih[1] + whh[1] * h + bhh[1]);
        double cNew = f * c + i * g;
        double o = sig(wih[2] * x + bih[2] + whh[2] * h + bhh[2] + -0.8f * cNew);
        assertThat((double) s.c().item()).isCloseTo(cNew, within(1e-6));
        assertThat((double) s.h().item()).isCloseTo(o * Math.tanh(cNew), within(1e-6));
    }

    @Test
    void layerNormFollowsItsEquation() {
        // with unit gains and zero shifts, a layer-normalised LSTM's gate pre-activations have zero mean
        // over the 4H gates; check c_t and h_t against a double-precision transcription of Ba et al.
        LstmCell cell = new LstmCell(BE, LstmConfig.of(2, 2).withLayerNorm(true).withBias(false).withSeed(Seed.of(9)));
        Map<String, Tensor> p = cell.namedParameters();
        float[] wih = p.get("weight_ih").toFloatArray();
        float[] whh = p.get("weight_hh").toFloatArray();
        double[] x = {0.5, -0.7};
        double[] h = {0.1, 0.3};
        double[] c = {-0.4, 0.8};
        double[] ax = ln(matvec(wih, 8, 2, x));
        double[] ah = ln(matvec(whh, 8, 2, h));
        double[] cNew = new double[2];
        double[] hNew = new double[2];
        for (int j = 0; j < 2; j++) {
            double i = sig(ax[j] + ah[j]);
            double f = sig(ax[2 + j] + ah[2 + j]);
            double g = Math.tanh(ax[4 + j] + ah[4 + j]);
            cNew[j] = f * c[j] + i * g;
        }
        double[] lc = ln(cNew);
        for (int j = 0; j < 2; j++) {
            hNew[j] = sig(ax[6 + j] + ah[6 + j]) * Math.tanh(lc[j]);
        }
        RecurrentState s = cell.forward(Tensor.of(BE, new float[] {0.5f, -0.7f}, 1, 2),
                new RecurrentState(Tensor.of(BE, new float[] {0.1f, 0.3f}, 1, 2), Tensor.of(BE, new float[] {-0.4f, 0.8f}, 1, 2)));
        float[] gotC = s.c().toFloatArray();
        float[] gotH = s.h().toFloatArray();
        for (int j = 0; j < 2; j++) {
            assertThat((double) gotC[j]).isCloseTo(cNew[j], within(2e-6));
            assertThat((double) gotH[j]).isCloseTo(hNew[j], within(2e-6));
        }
    }

    @Test
    void forgetBiasIsAddedToTheForgetBlock() {
        LstmCell plain = new LstmCell(BE, LstmConfig.of(2, 3).withSeed(Seed.of(4)));
        LstmCell biased = new LstmCell(BE, LstmConfig.of(2, 3).withSeed(Seed.of(4)).withForgetBias(1f));
        float[] a = plain.namedParameters().get("bias_ih").toFloatArray();
        float[] b = biased.namedParameters().get("bias_ih").toFloatArray();
        for (int j = 0; j < 12; j++) {
            assertThat(b[j] - a[j]).isCloseTo(j >= 3 && j < 6 ? 1f : 0f, within(1e-6f));
        }
    }

    @Test
    void cellStepEqualsOneStepOfTheLayer() {
        LstmConfig cfg = LstmConfig.of(3, 4).withPeephole(true).withSeed(Seed.of(6));
        LstmCell cell = new LstmCell(BE, cfg);
        Lstm layer = new Lstm(BE, cfg);
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        cell.namedParameters().forEach((k, v) -> renamed.put(k + "_l0", v));
        layer.loadStateDict(renamed, true);
        Tensor x = Tensor.uniform(BE, -1f, 1f, Seed.of(3), 2, 3);
        RecurrentState s = cell.forward(x);
        RecurrentOutput r = layer.forward(x.reshape(2, 1, 3));
        Checks.close(s.h().toFloatArray(), r.hN().toFloatArray(), 1e-6, "h");
        Checks.close(s.c().toFloatArray(), r.cN().toFloatArray(), 1e-6, "c");
    }

    private static double sig(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    private static double[] matvec(float[] w, int rows, int cols, double[] v) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                out[r] += w[r * cols + k] * v[k];
            }
        }
        return out;
    }

    private static double[] ln(double[] a) {
        double mean = 0;
        for (double v : a) {
            mean += v / a.length;
        }
        double var = 0;
        for (double v : a) {
            var += (v - mean) * (v - mean) / a.length;
        }
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (a[i] - mean) / Math.sqrt(var + 1e-5);
        }
        return out;
    }
}
