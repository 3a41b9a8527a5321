package dev.sequor.cli.seq2seq;

import dev.sequor.cli.seq2seq.Seq2SeqTraining.Batch;
import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.decode.StepDecoder;
import dev.sequor.io.Json;
import dev.sequor.nn.Embedding;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Losses;
import dev.sequor.nn.Module;
import dev.sequor.nn.Reduction;
import dev.sequor.nn.attention.AttentionConfig;
import dev.sequor.nn.attention.KvCache;
import dev.sequor.nn.attention.Mask;
import dev.sequor.nn.attention.SinusoidalPositionalEncoding;
import dev.sequor.nn.attention.Transformer;
import dev.sequor.nn.attention.TransformerConfig;
import dev.sequor.spi.Backend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Transformer variant of the translator (Vaswani et al. 2017), assembled from nn-attention:
 * shared character embeddings plus sinusoidal positions, a pre-norm encoder and a causal decoder
 * with cross-attention, and a linear output layer. The embeddings (initialised N(0, 1), as
 * PyTorch's) are not multiplied by {@code sqrt(d)}: the paper scales its small shared embeddings,
 * and here the scale would drown the positional signal the decoder needs to align. Decoding runs
 * one position at a time on a {@link KvCache}, which beam search reorders in place.
 */
public final class TransformerSeq2Seq extends Module implements Translator<TransformerSeq2Seq.State> {

    /**
     * Sizes, saved in checkpoints.
     *
     * @param vocabSize characters plus reserved ids
     * @param dModel    model width
     * @param heads     attention heads
     * @param layers    encoder layers and decoder layers (each)
     * @param ff        feed-forward inner width
     * @param seed      initialisation seed
     */
    public record Config(int vocabSize, int dModel, int heads, int layers, int ff, long seed) {

        /** @return as JSON */
        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vocabSize", vocabSize);
            m.put("dModel", dModel);
            m.put("heads", heads);
            m.put("layers", layers);
            m.put("ff", ff);
            m.put("seed", seed);
            return Json.write(m);
        }

        /** @return the configuration written by {@link #toJson} */
        public static Config fromJson(String json) {
            Map<?, ?> m = ConfigFields.object(json, "transformer configuration");
            return new Config(ConfigFields.integer(m, "vocabSize"), ConfigFields.integer(m, "dModel"),
                    ConfigFields.integer(m, "heads"), ConfigFields.integer(m, "layers"), ConfigFields.integer(m, "ff"),
                    ConfigFields.integer(m, "seed"));
        }
    }

    static final int MAX_LENGTH = 128;

    private final Config config;
    private final Embedding embed;
    private final Transformer transformer;
    private final Linear out;
    private final SinusoidalPositionalEncoding positions;

    /** A new model on {@code backend}. */
    public TransformerSeq2Seq(Backend backend, Config config) {
        super(backend);
        this.config = config;
        embed = registerModule("embed", new Embedding(backend, config.vocabSize(), config.dModel(), null, Seed.of(config.seed())));
        TransformerConfig tc = TransformerConfig.of(config.dModel(), config.heads()).withDimFeedforward(config.ff())
                .withDropout(0f).withNormFirst(true).withSeed(Seed.of(config.seed() + 1));
        transformer = registerModule("transformer", new Transformer(backend, tc, config.layers(), config.layers()));
        out = registerModule("out", new Linear(backend, config.dModel(), config.vocabSize(), true, Seed.of(config.seed() + 2)));
        positions = new SinusoidalPositionalEncoding(backend, config.dModel(), MAX_LENGTH);
    }

    /** @return the configuration */
    public Config config() {
        return config;
    }

    private Tensor inputs(Tensor ids, int offset) {
        return positions.forward(embed.forward(ids), offset);   // (B, T, d)
    }

    private static AttentionConfig padding(Backend be, int[] lengths, int s) {
        return AttentionConfig.NONE.withKeyPadding(Mask.keepLengths(be, lengths, s));
    }

    /** @return teacher-forced logits {@code (B, T, V)} */
    public Tensor logits(Batch b) {
        AttentionConfig src = padding(backend(), b.lengths(), b.src().size(1));
        Tensor y = transformer.forward(inputs(b.src(), 0), inputs(b.decIn(), 0), src,
                AttentionConfig.NONE.withCausal(true), src);
        return out.forward(y);
    }

    /**
     * The decoding state: the encoder memory, source lengths, the decoder's KV cache (shared and
     * updated in place) and the next position.
     */
    public record State(Tensor memory, int[] lengths, KvCache cache, int position) {
    }

    @Override
    public Module module() {
        return this;
    }

    @Override
    public String kind() {
        return "seq2seq-transformer";
    }

    @Override
    public String configJson() {
        return config.toJson();
    }

    /** Teacher forcing only: scheduled sampling would need step-by-step training of the decoder. */
    @Override
    public Tensor loss(Batch b, double teacherProb, SplittableRandom rng) {
        if (teacherProb < 1.0) {
            throw new IllegalArgumentException("the Transformer variant trains with teacher forcing only; "
                    + "scheduled sampling is for the RNN model");
        }
        Tensor logits = logits(b);
        int n = logits.size(0) * logits.size(1);
        return Losses.crossEntropy(logits.reshape(n, config.vocabSize()), b.target().reshape(n),
                Vocabulary.PAD, Reduction.MEAN, 0f);
    }

    @Override
    public State start(Batch b, boolean recordAttention) {
        return start(b);
    }

    @Override
    public void release(State state) {
        state.cache().close();
    }

    /** @return the state before the first target token of {@code b}'s sources */
    public State start(Batch b) {
        Tensor memory = transformer.encode(inputs(b.src(), 0), padding(backend(), b.lengths(), b.src().size(1)));
        return new State(memory, b.lengths().clone(), new KvCache(), 0);
    }

    /** @return this model one position at a time */
    @Override
    public StepDecoder<State> stepDecoder() {
        return new StepDecoder<>() {
            @Override
            public Step<State> step(State s, int[] tokens) {
                int n = tokens.length;
                float[] ids = new float[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = tokens[i];
                }
                Tensor x = inputs(Tensor.of(backend(), ids, n, 1), s.position());
                Tensor y = transformer.decodeStep(x, s.memory(), padding(backend(), s.lengths(), s.memory().size(1)),
                        s.cache());                                            // (N, 1, d)
                Tensor logits = out.forward(y).reshape(n, config.vocabSize());
                return new Step<>(logits, new State(s.memory(), s.lengths(), s.cache(), s.position() + 1));
            }

            @Override
            public State select(State s, int[] rows) {
                float[] idx = new float[rows.length];
                int[] lengths = new int[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    idx[i] = rows[i];
                    lengths[i] = s.lengths()[rows[i]];
                }
                s.cache().reorder(rows);
                Tensor memory = s.memory().indexSelect(0, Tensor.of(backend(), idx, rows.length));
                return new State(memory, lengths, s.cache(), s.position());
            }
        };
    }
}
