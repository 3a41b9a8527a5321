package dev.sequor.train;

import dev.sequor.core.Scope;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Losses;
import dev.sequor.nn.recurrent.Lstm;
import dev.sequor.nn.recurrent.LstmConfig;
import dev.sequor.nn.recurrent.RecurrentOutput;
import dev.sequor.nn.recurrent.RecurrentState;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import dev.sequor.optim.Clip;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop's truncated-BPTT option takes exactly the updates of a hand-written TBPTT loop. */
class TbpttTest {

    private static final int B = 4;
    private static final int T = 23;
    private static final int K = 5;

    /** @return batches {x (B, T, 1), y (B, T)}: y_t = 1 when x_t exceeds x_(t-1) (needs one step of memory) */
    static List<Tensor[]> data() {
        List<Tensor[]> out = new ArrayList<>();
        Random r = new Random(5);
        for (int n = 0; n < 3; n++) {
            float[] x = new float[B * T];
            float[] y = new float[B * T];
            for (int i = 0; i < B * T; i++) {
                x[i] = (float) r.nextGaussian();
                y[i] = i % T > 0 && x[i] > x[i - 1] ? 1 : 0;
            }
            out.add(new Tensor[] {Tensor.of(x, B, T, 1), Tensor.of(y, B, T)});
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void tbpttOptionEqualsAHandWrittenLoop(boolean carryAcross) {
        List<Tensor[]> data = data();
        Lstm lstm = new Lstm(LstmConfig.of(1, 8).withSeed(Seed.of(2)));
        Linear head = new Linear(8, 2, Seed.of(3));
        Lstm lstm2 = new Lstm(LstmConfig.of(1, 8).withSeed(Seed.of(2)));
        Linear head2 = new Linear(8, 2, Seed.of(3));
        TrainerTest.assertSameParameters(lstm2, lstm);

        Trainer<Tensor[]> t = Trainer.<Tensor[]>tbptt(K, b -> b[0].size(1), (b, start, len, carried, info) -> {
            RecurrentState st = carried == null ? null : new RecurrentState(carried.get(0), carried.get(1));
            RecurrentOutput o = lstm.forward(b[0].narrow(1, start, len), st);           // (B, len, 8)
            Tensor logits = head.forward(o.output());                                   // (B, len, 2)
            return new ChunkForward.Chunk(Prediction.of(logits, b[1].narrow(1, start, len)),
                    List.of(o.state().h(), o.state().c()));
        }, carryAcross, lstm, head).optimizer(m -> new Adam(m, AdamConfig.adam(0.01))).clipGradNorm(0.5);
        History h = t.fit(data, 2);

        List<Tensor> params = new ArrayList<>(lstm2.parameters());
        params.addAll(head2.parameters());
        Adam opt = new Adam(params, AdamConfig.adam(0.01));
        for (int epoch = 0; epoch < 2; epoch++) {
            RecurrentState carry = null;
            for (Tensor[] b : data) {
                if (!carryAcross) {
                    carry = close(carry);
                }
                for (int start = 0; start < T; start += K) {
                    int len = Math.min(K, T - start);
                    RecurrentState next;
                    try (Scope s = Tensor.scope()) {
                        opt.zeroGrad();
                        RecurrentOutput o = lstm2.forward(b[0].narrow(1, start, len), carry);
                        Tensor loss = Losses.crossEntropy(head2.forward(o.output()), b[1].narrow(1, start, len));
                        loss.backward();
                        Clip.clipGradNorm(params, 0.5, 2.0);
                        opt.step();
                        next = Scope.unscoped(() -> o.state().detach());
                    }
                    close(carry);
                    carry = next;
                }
            }
            close(carry);
        }
        TrainerTest.assertSameParameters(lstm, lstm2);
        TrainerTest.assertSameParameters(head, head2);
        assertThat(t.step()).isEqualTo(6);
        assertThat(h.last().values().get("loss")).isFinite();
        // evaluation runs the same chunks: one prediction per chunk
        assertThat(t.predict(data.subList(0, 1))).hasSize((T + K - 1) / K);
    }

    private static RecurrentState close(RecurrentState s) {
        if (s != null) {
            s.h().close();
            s.c().close();
        }
        return null;
    }
}
