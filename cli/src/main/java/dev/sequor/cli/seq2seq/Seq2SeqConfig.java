package dev.sequor.cli.seq2seq;

import dev.sequor.io.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sizes of an attention encoder-decoder ({@link Seq2Seq}); saved in every checkpoint.
 *
 * @param vocabSize      characters plus the reserved ids, shared by source and target
 * @param embedDim       character embedding width
 * @param encoderHidden  hidden size of each direction of the bidirectional encoder
 * @param decoderHidden  hidden size of the decoder, also the attention width
 * @param cell           "gru" or "lstm", for encoder and decoder
 * @param attention      "luong" (general score {@code s^T W_a h}) or "bahdanau" (additive score
 *                       {@code v_a^T tanh(W_a s + U_a h)})
 * @param seed           initialisation seed
 */
public record Seq2SeqConfig(int vocabSize, int embedDim, int encoderHidden, int decoderHidden, String cell,
                            String attention, long seed) {

    public Seq2SeqConfig {
        if (vocabSize < 4 || embedDim < 1 || encoderHidden < 1 || decoderHidden < 1) {
            throw new IllegalArgumentException("Seq2SeqConfig: sizes must be positive and the vocabulary hold a "
                    + "character, got vocabSize=" + vocabSize + " embedDim=" + embedDim + " encoderHidden="
                    + encoderHidden + " decoderHidden=" + decoderHidden);
        }
        if (!cell.equals("gru") && !cell.equals("lstm")) {
            throw new IllegalArgumentException("Seq2SeqConfig: cell must be gru or lstm, got " + cell);
        }
        if (!attention.equals("luong") && !attention.equals("bahdanau")) {
            throw new IllegalArgumentException("Seq2SeqConfig: attention must be luong or bahdanau, got " + attention);
        }
    }

    /** @return this configuration as a JSON object */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vocabSize", vocabSize);
        m.put("embedDim", embedDim);
        m.put("encoderHidden", encoderHidden);
        m.put("decoderHidden", decoderHidden);
        m.put("cell", cell);
        m.put("attention", attention);
        m.put("seed", seed);
        return Json.write(m);
    }

    /**
     * @return the configuration written by {@link #toJson}
     * @throws IllegalArgumentException naming a missing or mistyped field
     */
    public static Seq2SeqConfig fromJson(String json) {
        Map<?, ?> m = ConfigFields.object(json, "seq2seq configuration");
        return new Seq2SeqConfig(ConfigFields.integer(m, "vocabSize"), ConfigFields.integer(m, "embedDim"),
                ConfigFields.integer(m, "encoderHidden"), ConfigFields.integer(m, "decoderHidden"),
                ConfigFields.string(m, "cell"), ConfigFields.string(m, "attention"),
                ConfigFields.integer(m, "seed"));
    }
}
