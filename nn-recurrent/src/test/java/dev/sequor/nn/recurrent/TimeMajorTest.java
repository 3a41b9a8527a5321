package dev.sequor.nn.recurrent;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.sequor.nn.recurrent.Checks.BE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A time-major layer ({@code withBatchFirst(false)}, PyTorch's {@code batch_first=False}) is the batch-first
 * layer with its input and output transposed: same states, same gradients, same lengths semantics; and
 * truncated BPTT and streaming cut a time-major sequence along its time dimension.
 */
class TimeMajorTest {

    private static <L extends RecurrentLayer> L sameWeights(L target, RecurrentLayer source) {
        Map<String, Tensor> sd = new LinkedHashMap<>(source.stateDict());
        target.loadStateDict(sd, true);
        return target;
    }

    @Test
    void aTimeMajorLstmEqualsTheBatchFirstOneTransposedWithLengthsForwardAndBackward() {
        LstmConfig cfg = LstmConfig.of(3, 5).withLayers(2).withBidirectional(true).withSeed(Seed.of(4));
        Lstm bf = new Lstm(BE, cfg);
        Lstm tm = sameWeights(new Lstm(BE, cfg.withBatchFirst(false)), bf);
        assertThat(tm.batchFirst()).isFalse();
        assertThat(tm.timeDim()).isZero();
        Tensor xb = Tensor.uniform(BE, -1f, 1f, Seed.of(9), 3, 7, 3).requiresGrad(true);   // (B, T, F)
        Tensor xt = xb.detach().transpose(0, 1).requiresGrad(true);                          // (T, B, F)
        int[] lengths = {7, 2, 5};
        RecurrentOutput rb = bf.forward(xb, null, lengths);
        RecurrentOutput rt = tm.forward(xt, null, lengths);
        assertThat(rt.output().shape()).containsExactly(7, 3, 10);
        Checks.close(rt.output().transpose(0, 1).toFloatArray(), rb.output().toFloatArray(), 1e-6, "output");
        Checks.close(rt.hN().toFloatArray(), rb.hN().toFloatArray(), 1e-6, "h_n");
        Checks.close(rt.cN().toFloatArray(), rb.cN().toFloatArray(), 1e-6, "c_n");
        Tensor w = Tensor.uniform(BE, -1f, 1f, Seed.of(3), 3, 7, 10);
        rb.output().mul(w).sum().add(rb.hN().sum()).backward();
        rt.output().mul(w.transpose(0, 1)).sum().add(rt.hN().sum()).backward();
        Checks.close(xt.grad().transpose(0, 1).toFloatArray(), xb.grad().toFloatArray(), 1e-5, "dx");
        tm.namedParameters().forEach((k, p) ->
                Checks.close(p.grad().toFloatArray(), bf.namedParameters().get(k).grad().toFloatArray(), 1e-5, k));
    }

    @Test
    void theShapeErrorSaysWhichLayoutWasExpected() {
        Gru tm = new Gru(BE, GruConfig.of(3, 4).withBatchFirst(false));
        assertThatThrownBy(() -> tm.forward(Tensor.zeros(BE, 5, 2, 4)))
                .hasMessageContaining("time-major (T, B, 3)").hasMessageContaining("[5, 2, 4]");
        // B is dimension 1 here: two lengths for (T=5, B=2), and lengths are bounded by T = 5.
        assertThatThrownBy(() -> tm.forward(Tensor.zeros(BE, 5, 2, 3), null, new int[] {5, 1, 1}))
                .hasMessageContaining("B = 2");
        assertThatThrownBy(() -> tm.forward(Tensor.zeros(BE, 5, 2, 3), null, new int[] {6, 1}))
                .hasMessageContaining("T = 5");
        assertThat(tm.forward(Tensor.zeros(BE, 5, 2, 3), null, new int[] {5, 1}).output().shape())
                .containsExactly(5, 2, 4);
        assertThatThrownBy(() -> new Gru(BE, GruConfig.of(3, 4)).forward(Tensor.zeros(BE, 2, 5, 4)))
                .hasMessageContaining("batch-first (B, T, 3)");
    }

    @Test
    void truncatedBpttAndStreamingCutATimeMajorSequenceAlongTime() {
        RnnConfig cfg = RnnConfig.of(2, 4).withSeed(Seed.of(1));
        Rnn bf = new Rnn(BE, cfg);
        Rnn tm = sameWeights(new Rnn(BE, cfg.withBatchFirst(false)), bf);
        Tensor xb = Tensor.uniform(BE, -1f, 1f, Seed.of(2), 2, 7, 2);   // (B, T, F)
        Tensor xt = xb.transpose(0, 1);                                  // (T, B, F)
        float[] lb = new TruncatedBptt(bf, 3).train(xb, null, (out, start) -> out.output().square().sum(), null);
        float[] lt = new TruncatedBptt(tm, 3).train(xt, null, (out, start) -> {
            assertThat(out.output().size(1)).isEqualTo(2);   // (len, B, H)
            return out.output().square().sum();
        }, null);
        assertThat(lt).hasSize(3);
        Checks.close(lt, lb, 1e-6, "chunk losses");
        RecurrentStream sb = new TruncatedBptt(bf, 3).stream();
        RecurrentStream st = new TruncatedBptt(tm, 3).stream();
        sb.feed(xb.narrow(1, 0, 4));
        st.feed(xt.narrow(0, 0, 4));
        Tensor last = st.feed(xt.narrow(0, 4, 3));
        Checks.close(last.transpose(0, 1).toFloatArray(), sb.feed(xb.narrow(1, 4, 3)).toFloatArray(), 1e-6, "stream");
    }
}
