package dev.sequor.cli.charlm;

import dev.sequor.cli.seq2seq.ConfigFields;
import dev.sequor.io.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sizes of a {@link CharLm}; saved in every checkpoint and checked on resume.
 *
 * @param vocabSize characters plus the reserved ids
 * @param hidden    hidden size of every layer
 * @param layers    stacked recurrent layers
 * @param cell      "lstm" or "gru"
 * @param dropout   dropout between layers while training
 * @param seed      initialisation seed
 */
public record CharLmConfig(int vocabSize, int hidden, int layers, String cell, double dropout, long seed) {

    public CharLmConfig {
        if (vocabSize < 4 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("CharLmConfig: sizes must be positive, got vocabSize=" + vocabSize
                    + " hidden=" + hidden + " layers=" + layers);
        }
        if (!cell.equals("lstm") && !cell.equals("gru")) {
            throw new IllegalArgumentException("CharLmConfig: cell must be lstm or gru, got " + cell);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("CharLmConfig: dropout must be in [0, 1), got " + dropout);
        }
    }

    /** @return this configuration as JSON */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vocabSize", vocabSize);
        m.put("hidden", hidden);
        m.put("layers", layers);
        m.put("cell", cell);
        m.put("dropout", dropout);
        m.put("seed", seed);
        return Json.write(m);
    }

    /** @return the configuration written by {@link #toJson} */
    public static CharLmConfig fromJson(String json) {
        Map<?, ?> m = ConfigFields.object(json, "charlm configuration");
        if (!(m.get("dropout") instanceof Number d)) {
            throw new IllegalArgumentException("configuration field 'dropout' must be a number, got " + m.get("dropout"));
        }
        return new CharLmConfig(ConfigFields.integer(m, "vocabSize"), ConfigFields.integer(m, "hidden"),
                ConfigFields.integer(m, "layers"), ConfigFields.string(m, "cell"), d.doubleValue(),
                ConfigFields.integer(m, "seed"));
    }
}
