package dev.sequor.cli.seq2seq;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Embedding;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Module;
import dev.sequor.nn.attention.AdditiveAttention;
import dev.sequor.nn.attention.AttentionOutput;
import dev.sequor.nn.attention.GeneralAttention;
import dev.sequor.nn.attention.Mask;
import dev.sequor.nn.attention.ScoredAttention;
import dev.sequor.nn.recurrent.Gru;
import dev.sequor.nn.recurrent.GruConfig;
import dev.sequor.nn.recurrent.Lstm;
import dev.sequor.nn.recurrent.LstmConfig;
import dev.sequor.nn.recurrent.RecurrentLayer;
import dev.sequor.nn.recurrent.RecurrentOutput;
import dev.sequor.nn.recurrent.RecurrentState;
import dev.sequor.spi.Backend;

import java.util.List;
import java.util.SplittableRandom;

/**
 * An attention encoder-decoder (Bahdanau et al. 2015's architecture with Luong et al. 2015's
 * global attention), assembled from library layers:
 * <pre>
 *   encoder:  h_j = [fwd_j ; bwd_j] = BiRNN(E x)_j                                 (B, S, 2He)
 *   bridge:   s_0 = tanh(W_b [fwd_S ; bwd_1])                                       (B, Hd)
 *   decoder:  s_t = RNN(E y_{t-1}, s_{t-1})                                          (B, T, Hd)
 *   attention: a_t = softmax_j(score(s_t, h_j)),  c_t = sum_j a_tj h_j                  (B, T, 2He)
 *              luong:    score = s_t^T W_a h_j                   (GeneralAttention)
 *              bahdanau: score = v_a^T tanh(W_a s_t + U_a h_j)   (AdditiveAttention)
 *   output:   s~_t = tanh(W_c [s_t ; c_t]),  p(y_t | y_&lt;t, x) = softmax(W_o s~_t)
 * </pre>
 * Source padding is masked out of the attention. The RNN is a GRU or an LSTM ({@link Seq2SeqConfig#cell()}).
 * Because the attention does not feed back into the decoder RNN, teacher-forced training runs the
 * decoder over all steps at once; {@link #stepDecoder()} runs the same equations one step at a time.
 */
public final class Seq2Seq extends Module implements Translator<AttentionStepDecoder.State> {

    private final Seq2SeqConfig config;
    private final Embedding embed;
    private final RecurrentLayer encoder;
    private final Linear bridgeH;
    private final Linear bridgeC;
    private final RecurrentLayer decoder;
    private final ScoredAttention attention;
    private final Linear combine;
    private final Linear out;

    /** What the encoder hands the decoder. @param memory (B, S, 2He) @param mask (B, S) key padding @param lengths source lengths */
    public record Encoded(Tensor memory, Mask mask, int[] lengths, RecurrentState initial) {
    }

    /** A new model with parameters on {@code backend}, initialised from {@code config.seed()}. */
    public Seq2Seq(Backend backend, Seq2SeqConfig config) {
        super(backend);
        this.config = config;
        long seed = config.seed();
        int he = config.encoderHidden();
        int hd = config.decoderHidden();
        embed = registerModule("embed", new Embedding(backend, config.vocabSize(), config.embedDim(), null, Seed.of(seed)));
        encoder = registerModule("encoder", rnn(backend, config.embedDim(), he, true, seed + 1));
        bridgeH = registerModule("bridge_h", new Linear(backend, 2 * he, hd, true, Seed.of(seed + 2)));
        bridgeC = isLstm() ? registerModule("bridge_c", new Linear(backend, 2 * he, hd, true, Seed.of(seed + 3))) : null;
        decoder = registerModule("decoder", rnn(backend, config.embedDim(), hd, false, seed + 4));
        attention = registerModule("attention", config.attention().equals("bahdanau")
                ? new AdditiveAttention(backend, hd, 2 * he, hd, Seed.of(seed + 5))
                : new GeneralAttention(backend, hd, 2 * he, Seed.of(seed + 5)));
        combine = registerModule("combine", new Linear(backend, hd + 2 * he, hd, true, Seed.of(seed + 6)));
        out = registerModule("out", new Linear(backend, hd, config.vocabSize(), true, Seed.of(seed + 7)));
    }

    private RecurrentLayer rnn(Backend backend, int in, int hidden, boolean bidirectional, long seed) {
        return isLstm()
                ? new Lstm(backend, LstmConfig.of(in, hidden).withBidirectional(bidirectional).withSeed(Seed.of(seed)))
                : new Gru(backend, GruConfig.of(in, hidden).withBidirectional(bidirectional).withSeed(Seed.of(seed)));
    }

    private boolean isLstm() {
        return config.cell().equals("lstm");
    }

    /** @return the configuration */
    public Seq2SeqConfig config() {
        return config;
    }

    /**
     * Encodes a batch of sources.
     *
     * @param src     ids {@code (B, S)} as floats, padded with any valid id past each length
     * @param lengths each source's length, in [1, S]
     */
    public Encoded encode(Tensor src, int[] lengths) {
        int b = src.size(0);
        RecurrentOutput enc = encoder.forward(embed.forward(src), null, lengths);
        Tensor h = enc.hN();                                        // (2, B, He): forward, backward
        Tensor both = Tensor.concat(1, h.select(0, 0), h.select(0, 1));   // (B, 2He)
        Tensor s0 = bridgeH.forward(both).tanh().unsqueeze(0);         // (1, B, Hd)
        Tensor c0 = isLstm() ? bridgeC.forward(both).tanh().unsqueeze(0) : null;
        Mask mask = Mask.keepLengths(backend(), lengths, src.size(1));
        return new Encoded(enc.output(), mask, lengths.clone(), new RecurrentState(s0, c0));
    }

    /**
     * Runs the decoder RNN over {@code inputs} and the attention output layer.
     *
     * @param inputs  previous tokens {@code (B, T)} (START first)
     * @param state   the decoder RNN state before them
     * @param weights whether to return the attention weights {@code (B, T, S)} (they are computed anyway)
     * @return logits {@code (B, T, V)}, the new RNN state, and the weights (or null)
     */
    public Decoded decode(Encoded enc, Tensor inputs, RecurrentState state, boolean weights) {
        RecurrentOutput dec = decoder.forward(embed.forward(inputs), state);
        Tensor s = dec.output();                                         // (B, T, Hd)
        AttentionOutput att = attention.forward(s, enc.memory(), enc.memory(), enc.mask());   // (B, T, 2He)
        Tensor mixed = combine.forward(Tensor.concat(2, s, att.output())).tanh();           // (B, T, Hd)
        return new Decoded(out.forward(mixed), dec.state(), weights ? att.weights() : null);
    }

    /** One {@link #decode} result. @param logits (B, T, V) @param weights (B, T, S) or null */
    public record Decoded(Tensor logits, RecurrentState state, Tensor weights) {
    }

    /** @return a step-wise view of this model for greedy, sampling and beam search */
    @Override
    public AttentionStepDecoder stepDecoder() {
        return new AttentionStepDecoder(this);
    }

    @Override
    public Module module() {
        return this;
    }

    @Override
    public String kind() {
        return "seq2seq";
    }

    @Override
    public String configJson() {
        return config.toJson();
    }

    @Override
    public Tensor loss(Seq2SeqTraining.Batch batch, double teacherProb, SplittableRandom rng) {
        return Seq2SeqTraining.loss(this, batch, teacherProb, rng);
    }

    @Override
    public AttentionStepDecoder.State start(Seq2SeqTraining.Batch batch, boolean recordAttention) {
        return stepDecoder().start(encode(batch.src(), batch.lengths()), recordAttention);
    }

    @Override
    public List<float[][]> attention(AttentionStepDecoder.State state) {
        return state.attention();
    }
}
