package dev.sequor.nn.recurrent;

import dev.sequor.core.Tensor;
import dev.sequor.spi.RnnActivation;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.sequor.nn.recurrent.Checks.BE;

/**
 * PyTorch's own outputs and gradients (tools/golden/gen_recurrent.py) for RNN, LSTM and GRU stacks:
 * multi-layer, bidirectional, projection, variable lengths. The state dict is loaded strictly, so
 * parameter names and shapes must be PyTorch's exactly.
 */
class GoldenLayerTest {

    private static void check(String fixture, RecurrentLayer layer) {
        Golden g = Golden.load(fixture);
        layer.loadStateDict(g.withPrefix("param."), true);
        boolean lstm = g.has("c0");
        Tensor x = g.get("x").requiresGrad(true);
        Tensor h0 = g.get("h0").requiresGrad(true);
        Tensor c0 = lstm ? g.get("c0").requiresGrad(true) : null;
        RecurrentOutput r = layer.forward(x, new RecurrentState(h0, c0), g.lengths());
        Checks.close(r.output().toFloatArray(), g.get("out.output").toFloatArray(), 1e-5, fixture + " output");
        Checks.close(r.hN().toFloatArray(), g.get("out.h_n").toFloatArray(), 1e-5, fixture + " h_n");
        Tensor loss = r.output().mul(g.get("w.output")).sum().add(r.hN().mul(g.get("w.h_n")).sum());
        if (lstm) {
            Checks.close(r.cN().toFloatArray(), g.get("out.c_n").toFloatArray(), 1e-5, fixture + " c_n");
            loss = loss.add(r.cN().mul(g.get("w.c_n")).sum());
        }
        loss.backward();
        Checks.close(x.grad().toFloatArray(), g.get("grad.x").toFloatArray(), 1e-4, fixture + " dx");
        Checks.close(h0.grad().toFloatArray(), g.get("grad.h0").toFloatArray(), 1e-4, fixture + " dh0");
        if (lstm) {
            Checks.close(c0.grad().toFloatArray(), g.get("grad.c0").toFloatArray(), 1e-4, fixture + " dc0");
        }
        Map<String, Tensor> params = layer.namedParameters();
        g.withPrefix("grad.param.").forEach((k, v) ->
                Checks.close(params.get(k).grad().toFloatArray(), v.toFloatArray(), 1e-4, fixture + " d" + k));
    }

    @Test
    void lstmTwoLayersBidirectional() {
        check("lstm_2layer_bidir", new Lstm(BE, LstmConfig.of(3, 4).withLayers(2).withBidirectional(true)));
    }

    @Test
    void lstmVariableLengthsBidirectional() {
        check("lstm_lengths_bidir", new Lstm(BE, LstmConfig.of(3, 4).withLayers(2).withBidirectional(true)));
    }

    @Test
    void lstmProjection() {
        check("lstm_proj", new Lstm(BE, LstmConfig.of(3, 5).withLayers(2).withBidirectional(true).withProjSize(2)));
    }

    @Test
    void lstmWithoutBias() {
        check("lstm_nobias", new Lstm(BE, LstmConfig.of(3, 4).withBias(false)));
    }

    @Test
    void gruTwoLayersBidirectionalVariableLengths() {
        check("gru_2layer_bidir_lengths", new Gru(BE, GruConfig.of(3, 4).withLayers(2).withBidirectional(true)));
    }

    @Test
    void gruOneLayer() {
        check("gru_1layer", new Gru(BE, GruConfig.of(4, 3)));
    }

    @Test
    void rnnTanhTwoLayersBidirectional() {
        check("rnn_tanh_2layer_bidir", new Rnn(BE, RnnConfig.of(3, 4).withLayers(2).withBidirectional(true)));
    }

    @Test
    void rnnReluVariableLengths() {
        check("rnn_relu_lengths", new Rnn(BE, RnnConfig.of(3, 4).withNonlinearity(RnnActivation.RELU)));
    }

    @Test
    void stepwisePathMatchesPyTorchToo() {
        Lstm lstm = new Lstm(BE, LstmConfig.of(3, 4).withLayers(2).withBidirectional(true));
        lstm.forceStepwise = true;
        check("lstm_lengths_bidir", lstm);
    }
}
