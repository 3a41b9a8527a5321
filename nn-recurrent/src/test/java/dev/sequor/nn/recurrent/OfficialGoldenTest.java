package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;
import dev.sequor.io.SafeTensors;
import dev.sequor.io.SafeTensorsFile;
import dev.sequor.io.TensorData;
import dev.sequor.nn.Module;
import dev.sequor.spi.RnnActivation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BinaryOperator;

import static dev.sequor.nn.recurrent.Checks.BE;

/**
 * The project's official PyTorch fixtures for nn-recurrent (tools/golden/gen_recurrent.py, keys in
 * tools/golden/README.md), read with core's safetensors reader: forward to 1e-5, gradients of the
 * inputs, initial states and every parameter to 1e-4. State dicts are loaded strictly.
 */
class OfficialGoldenTest {

    private static SafeTensorsFile load(String name) {
        try (InputStream in = OfficialGoldenTest.class.getResourceAsStream("/golden/" + name + ".safetensors")) {
            if (in == null) {
                throw new IllegalStateException("missing fixture golden/" + name + ".safetensors");
            }
            return SafeTensors.read(in.readAllBytes(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Tensor t(SafeTensorsFile f, String key) {
        TensorData d = f.get(key);
        return Tensor.of(BE, d.data(), d.shape());
    }

    private static Tensor opt(SafeTensorsFile f, String key) {
        return f.contains(key) ? t(f, key).requiresGrad(true) : null;
    }

    private static void loadParams(SafeTensorsFile f, Module m) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (String k : f.names()) {
            if (k.startsWith("param.")) {
                sd.put(k.substring(6), t(f, k));
            }
        }
        m.loadStateDict(sd, true);
    }

    private static void close(Tensor actual, SafeTensorsFile f, String key, double tol, String name) {
        Checks.close(actual.toFloatArray(), f.get(key).data(), tol, name + " " + key);
    }

    private static void checkParamGrads(SafeTensorsFile f, Module m, String name) {
        m.namedParameters().forEach((k, p) -> close(p.grad(), f, "grad." + k, 1e-4, name));
    }

    private static void layer(String name, RecurrentLayer layer) {
        SafeTensorsFile f = load(name);
        loadParams(f, layer);
        boolean lstm = layer instanceof Lstm;
        Tensor x = t(f, "input.input").requiresGrad(true);
        Tensor h0 = opt(f, "input.h0");
        Tensor c0 = opt(f, "input.c0");
        int[] lengths = null;
        if (f.contains("input.lengths")) {
            float[] l = f.get("input.lengths").data();
            lengths = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                lengths[i] = Math.round(l[i]);
            }
        }
        RecurrentOutput r = layer.forward(x, h0 == null ? null : new RecurrentState(h0, c0), lengths);
        close(r.output(), f, "output.output", 1e-5, name);
        close(r.hN(), f, "output.h_n", 1e-5, name);
        Tensor loss = r.output().mul(t(f, "input.doutput")).sum().add(r.hN().mul(t(f, "input.dh_n")).sum());
        if (lstm) {
            close(r.cN(), f, "output.c_n", 1e-5, name);
            loss = loss.add(r.cN().mul(t(f, "input.dc_n")).sum());
        }
        loss.backward();
        close(x.grad(), f, "grad.input", 1e-4, name);
        if (h0 != null) {
            close(h0.grad(), f, "grad.h0", 1e-4, name);
        }
        if (c0 != null) {
            close(c0.grad(), f, "grad.c0", 1e-4, name);
        }
        checkParamGrads(f, layer, name);
    }

    @Test
    void rnnLayers() {
        layer("rnn_tanh_2l_bi", new Rnn(BE, RnnConfig.of(3, 4).withLayers(2).withBidirectional(true)));
        layer("rnn_relu_2l_bi", new Rnn(BE, RnnConfig.of(3, 4).withLayers(2).withBidirectional(true)
                .withNonlinearity(RnnActivation.RELU)));
        layer("rnn_tanh_packed", new Rnn(BE, RnnConfig.of(3, 4).withLayers(2).withBidirectional(true)));
    }

    @Test
    void lstmLayers() {
        layer("lstm_1l", new Lstm(BE, LstmConfig.of(3, 4)));
        layer("lstm_2l_bi", new Lstm(BE, LstmConfig.of(3, 4).withLayers(2).withBidirectional(true)));
        layer("lstm_h0c0", new Lstm(BE, LstmConfig.of(3, 4).withLayers(2)));
        layer("lstm_packed", new Lstm(BE, LstmConfig.of(3, 4).withLayers(2).withBidirectional(true)));
    }

    @Test
    void lstmProjection() {
        layer("lstm_proj", new Lstm(BE, LstmConfig.of(3, 5).withProjSize(3)));
        layer("lstm_proj_2l_bi_h0c0", new Lstm(BE, LstmConfig.of(3, 5).withLayers(2).withBidirectional(true)
                .withProjSize(3)));
    }

    @Test
    void gruLayers() {
        layer("gru_1l", new Gru(BE, GruConfig.of(3, 4)));
        layer("gru_2l_bi", new Gru(BE, GruConfig.of(3, 4).withLayers(2).withBidirectional(true)));
        layer("gru_packed", new Gru(BE, GruConfig.of(3, 4).withLayers(2).withBidirectional(true)));
    }

    /** PyTorch's batch_first=False, with packed lengths and initial states (gen_recurrent_time_major.py). */
    @Test
    void timeMajorLayers() {
        layer("time_major_lstm_lengths_h0", new Lstm(BE, LstmConfig.of(3, 4).withLayers(2).withBidirectional(true)
                .withBatchFirst(false)));
        layer("time_major_gru_lengths_h0", new Gru(BE, GruConfig.of(3, 4).withLayers(2).withBidirectional(true)
                .withBatchFirst(false)));
        layer("time_major_rnn_relu_lengths", new Rnn(BE, RnnConfig.of(3, 4).withLayers(2).withBidirectional(true)
                .withNonlinearity(RnnActivation.RELU).withBatchFirst(false)));
        layer("time_major_lstm_proj", new Lstm(BE, LstmConfig.of(3, 5).withLayers(2).withProjSize(3)
                .withBatchFirst(false)));
    }

    @Test
    void cells() {
        SafeTensorsFile f = load("lstm_cell");
        LstmCell lstm = new LstmCell(BE, LstmConfig.of(3, 4));
        loadParams(f, lstm);
        Tensor x = t(f, "input.input").requiresGrad(true);
        Tensor h0 = t(f, "input.h0").requiresGrad(true);
        Tensor c0 = t(f, "input.c0").requiresGrad(true);
        RecurrentState s = lstm.forward(x, new RecurrentState(h0, c0));
        close(s.h(), f, "output.h1", 1e-5, "lstm_cell");
        close(s.c(), f, "output.c1", 1e-5, "lstm_cell");
        s.h().mul(t(f, "input.dh1")).sum().add(s.c().mul(t(f, "input.dc1")).sum()).backward();
        close(x.grad(), f, "grad.input", 1e-4, "lstm_cell");
        close(h0.grad(), f, "grad.h0", 1e-4, "lstm_cell");
        close(c0.grad(), f, "grad.c0", 1e-4, "lstm_cell");
        checkParamGrads(f, lstm, "lstm_cell");

        f = load("gru_cell");
        GruCell gru = new GruCell(BE, GruConfig.of(3, 4));
        simpleCell(f, "gru_cell", gru, (xx, hh) -> gru.forward(xx, hh));
        f = load("rnn_cell_tanh");
        RnnCell tanh = new RnnCell(BE, RnnConfig.of(3, 4));
        simpleCell(f, "rnn_cell_tanh", tanh, (xx, hh) -> tanh.forward(xx, hh));
        f = load("rnn_cell_relu");
        RnnCell relu = new RnnCell(BE, RnnConfig.of(3, 4).withNonlinearity(RnnActivation.RELU));
        simpleCell(f, "rnn_cell_relu", relu, (xx, hh) -> relu.forward(xx, hh));
    }

    private static void simpleCell(SafeTensorsFile f, String name, Module cell,
                                   BinaryOperator<Tensor> step) {
        loadParams(f, cell);
        Tensor x = t(f, "input.input").requiresGrad(true);
        Tensor h0 = t(f, "input.h0").requiresGrad(true);
        Tensor h1 = step.apply(x, h0);
        close(h1, f, "output.h1", 1e-5, name);
        h1.mul(t(f, "input.dh1")).sum().backward();
        close(x.grad(), f, "grad.input", 1e-4, name);
        close(h0.grad(), f, "grad.h0", 1e-4, name);
        checkParamGrads(f, cell, name);
    }
}
