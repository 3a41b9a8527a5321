package dev.sequor.cli.seq2seq;

import dev.sequor.core.Tensor;
import dev.sequor.decode.StepDecoder;
import dev.sequor.nn.attention.Mask;
import dev.sequor.nn.recurrent.RecurrentState;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Seq2Seq} one target step at a time, for the decoding strategies of {@code dev.sequor.decode}.
 * The state carries the encoder memory, the decoder RNN state and, when asked, each step's
 * attention weights (for heat maps); {@link #select} reorders all of them together.
 */
public final class AttentionStepDecoder implements StepDecoder<AttentionStepDecoder.State> {

    private final Seq2Seq model;

    /**
     * @param enc       the encoded sources, N rows
     * @param rnn       the decoder RNN state, {@code h (1, N, Hd)}
     * @param attention per step so far, {@code [N][S]} weights, or null when not recording
     */
    public record State(Seq2Seq.Encoded enc, RecurrentState rnn, List<float[][]> attention) {
    }

    AttentionStepDecoder(Seq2Seq model) {
        this.model = model;
    }

    /** @return the state before the first target token; records attention if {@code recordAttention} */
    public State start(Seq2Seq.Encoded enc, boolean recordAttention) {
        return new State(enc, enc.initial(), recordAttention ? new ArrayList<>() : null);
    }

    @Override
    public Step<State> step(State state, int[] tokens) {
        int n = tokens.length;
        float[] ids = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = tokens[i];
        }
        Tensor in = Tensor.of(model.backend(), ids, n, 1);
        Seq2Seq.Decoded d = model.decode(state.enc(), in, state.rnn(), state.attention() != null);
        List<float[][]> history = state.attention();
        if (history != null) {
            int s = d.weights().size(2);
            float[] w = d.weights().toFloatArray();     // (N, 1, S)
            float[][] rows = new float[n][s];
            for (int r = 0; r < n; r++) {
                System.arraycopy(w, r * s, rows[r], 0, s);
            }
            history = new ArrayList<>(history);
            history.add(rows);
        }
        Tensor logits = d.logits().reshape(n, d.logits().size(2));   // (N, V)
        return new Step<>(logits, new State(state.enc(), d.state(), history));
    }

    @Override
    public State select(State state, int[] rows) {
        float[] idx = new float[rows.length];
        int[] lengths = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            idx[i] = rows[i];
            lengths[i] = state.enc().lengths()[rows[i]];
        }
        Tensor index = Tensor.of(model.backend(), idx, rows.length);
        Seq2Seq.Encoded e = state.enc();
        Tensor memory = e.memory().indexSelect(0, index);              // (N', S, 2He)
        Mask mask = Mask.keepLengths(model.backend(), lengths, memory.size(1));
        RecurrentState r = state.rnn();
        RecurrentState rnn = new RecurrentState(r.h().indexSelect(1, index),
                r.c() == null ? null : r.c().indexSelect(1, index));
        Tensor h0 = e.initial().h().indexSelect(1, index);
        Tensor c0 = e.initial().c() == null ? null : e.initial().c().indexSelect(1, index);
        List<float[][]> history = null;
        if (state.attention() != null) {
            history = new ArrayList<>();
            for (float[][] step : state.attention()) {
                float[][] picked = new float[rows.length][];
                for (int i = 0; i < rows.length; i++) {
                    picked[i] = step[rows[i]];
                }
                history.add(picked);
            }
        }
        return new State(new Seq2Seq.Encoded(memory, mask, lengths, new RecurrentState(h0, c0)), rnn, history);
    }
}
