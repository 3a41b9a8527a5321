package dev.sequor.cli.charlm;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.decode.StepDecoder;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Module;
import dev.sequor.nn.recurrent.Gru;
import dev.sequor.nn.recurrent.GruConfig;
import dev.sequor.nn.recurrent.Lstm;
import dev.sequor.nn.recurrent.LstmConfig;
import dev.sequor.nn.recurrent.RecurrentLayer;
import dev.sequor.nn.recurrent.RecurrentOutput;
import dev.sequor.nn.recurrent.RecurrentState;
import dev.sequor.spi.Backend;

/**
 * A character language model in the manner of Karpathy's char-rnn: one-hot characters into a
 * stack of LSTM (or GRU) layers, then a linear layer to next-character logits,
 * {@code p(x_{t+1} | x_<=t) = softmax(W h_t + b)}.
 */
public final class CharLm extends Module {

    private final CharLmConfig config;
    private final RecurrentLayer rnn;
    private final Linear head;

    /** A new model on {@code backend}. */
    public CharLm(Backend backend, CharLmConfig config) {
        super(backend);
        this.config = config;
        int v = config.vocabSize();
        float p = (float) config.dropout();
        rnn = registerModule("rnn", config.cell().equals("lstm")
                ? new Lstm(backend, LstmConfig.of(v, config.hidden()).withLayers(config.layers()).withDropout(p)
                        .withSeed(Seed.of(config.seed())))
                : new Gru(backend, GruConfig.of(v, config.hidden()).withLayers(config.layers()).withDropout(p)
                        .withSeed(Seed.of(config.seed()))));
        head = registerModule("head", new Linear(backend, config.hidden(), v, true, Seed.of(config.seed() + 1)));
    }

    /** @return the configuration */
    public CharLmConfig config() {
        return config;
    }

    /** @return the recurrent stack (for truncated BPTT) */
    public RecurrentLayer rnn() {
        return rnn;
    }

    /** @return next-character logits {@code (B, T, V)} from the stack's output {@code (B, T, H)} */
    public Tensor logits(Tensor hidden) {
        return head.forward(hidden);
    }

    /** @return the one-hot encoding {@code (B, T, V)} of ids {@code [B][T]} */
    public Tensor oneHot(int[][] ids) {
        int b = ids.length;
        int t = ids[0].length;
        int v = config.vocabSize();
        float[] x = new float[b * t * v];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                x[(i * t + j) * v + ids[i][j]] = 1f;
            }
        }
        return Tensor.of(backend(), x, b, t, v);
    }

    /** Runs {@code ids} through the stack. @return logits (B, T, V) and the final state */
    public RecurrentOutput run(int[][] ids, RecurrentState state) {
        return rnn.forward(oneHot(ids), state);
    }

    /** @return the model as a {@link StepDecoder} over its recurrent state */
    public StepDecoder<RecurrentState> stepDecoder() {
        return new StepDecoder<>() {
            @Override
            public Step<RecurrentState> step(RecurrentState state, int[] tokens) {
                int[][] ids = new int[tokens.length][];
                for (int i = 0; i < tokens.length; i++) {
                    ids[i] = new int[] {tokens[i]};
                }
                RecurrentOutput out = run(ids, state);
                Tensor logits = head.forward(out.output());        // (N, 1, V)
                return new Step<>(logits.reshape(tokens.length, config.vocabSize()), out.state());
            }

            @Override
            public RecurrentState select(RecurrentState state, int[] rows) {
                float[] idx = new float[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    idx[i] = rows[i];
                }
                Tensor index = Tensor.of(backend(), idx, rows.length);
                return new RecurrentState(state.h().indexSelect(1, index),
                        state.c() == null ? null : state.c().indexSelect(1, index));
            }
        };
    }
}
