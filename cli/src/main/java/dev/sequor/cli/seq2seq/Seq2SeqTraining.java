package dev.sequor.cli.seq2seq;

import dev.sequor.cli.text.Vocabulary;
import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.decode.GreedyDecoder;
import dev.sequor.decode.Hypothesis;
import dev.sequor.nn.Losses;
import dev.sequor.nn.Reduction;
import dev.sequor.nn.recurrent.RecurrentState;
import dev.sequor.spi.Backend;
import dev.sequor.train.TeacherForcing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batches, the teacher-forced loss (with optional scheduled sampling) and exact-match evaluation
 * of a {@link Seq2Seq} on (source, target) string pairs.
 */
public final class Seq2SeqTraining {

    private Seq2SeqTraining() {
    }

    /**
     * A padded batch. {@code src (B, S)}, {@code decIn (B, T)} = START y_1 .. y_{T-1},
     * {@code target (B, T)} = y_1 .. y_{T-1} END, padded with PAD (ignored by the loss).
     */
    public record Batch(Tensor src, int[] lengths, Tensor decIn, Tensor target) {
    }

    /** @return {@code pairs} encoded with {@code vocab} on {@code backend} */
    public static Batch batch(List<DateTask.Pair> pairs, Vocabulary vocab, Backend backend) {
        int b = pairs.size();
        int[][] src = new int[b][];
        int[][] tgt = new int[b][];
        int s = 1;
        int t = 1;
        for (int i = 0; i < b; i++) {
            src[i] = vocab.encode(pairs.get(i).source());
            tgt[i] = vocab.encode(pairs.get(i).target());
            if (src[i].length == 0) {
                throw new IllegalArgumentException("empty source in example " + i);
            }
            s = Math.max(s, src[i].length);
            t = Math.max(t, tgt[i].length + 1);
        }
        float[] srcIds = new float[b * s];
        float[] decIn = new float[b * t];
        float[] target = new float[b * t];
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            lengths[i] = src[i].length;
            for (int j = 0; j < src[i].length; j++) {
                srcIds[i * s + j] = src[i][j];
            }
            for (int j = 0; j < t; j++) {
                int prev = j == 0 ? Vocabulary.START : j - 1 < tgt[i].length ? tgt[i][j - 1] : Vocabulary.PAD;
                int next = j < tgt[i].length ? tgt[i][j] : j == tgt[i].length ? Vocabulary.END : Vocabulary.PAD;
                decIn[i * t + j] = prev;
                target[i * t + j] = next;
            }
        }
        return new Batch(Tensor.of(backend, srcIds, b, s), lengths, Tensor.of(backend, decIn, b, t),
                Tensor.of(backend, target, b, t));
    }

    /**
     * The mean cross-entropy per target token.
     *
     * @param teacherProb probability of feeding the true previous token; 1 is plain teacher forcing
     *                    (all steps at once), below 1 is scheduled sampling (Bengio et al. 2015): step by
     *                    step, each row's previous token is drawn from the model's own prediction with
     *                    probability {@code 1 - teacherProb}
     * @param rng         draws of scheduled sampling (unused at {@code teacherProb = 1})
     */
    public static Tensor loss(Seq2Seq model, Batch batch, double teacherProb, SplittableRandom rng) {
        Seq2Seq.Encoded enc = model.encode(batch.src(), batch.lengths());
        int b = batch.decIn().size(0);
        int t = batch.decIn().size(1);
        Tensor logits;
        if (teacherProb >= 1.0) {
            logits = model.decode(enc, batch.decIn(), enc.initial(), false).logits();   // (B, T, V)
        } else {
            float[] gold = batch.decIn().toFloatArray();
            List<Tensor> steps = new ArrayList<>(t);
            RecurrentState state = enc.initial();
            float[] prev = new float[b];
            for (int j = 0; j < t; j++) {
                float[] goldJ = new float[b];
                for (int i = 0; i < b; i++) {
                    goldJ[i] = gold[i * t + j];
                }
                float[] in = TeacherForcing.choose(goldJ, prev, teacherProb, rng, Vocabulary.PAD, j == 0);
                Seq2Seq.Decoded d = model.decode(enc, Tensor.of(model.backend(), in, b, 1), state, false);
                state = d.state();
                steps.add(d.logits());
                prev = TeacherForcing.sample(d.logits(), rng);
            }
            logits = Tensor.concat(1, steps);
        }
        int v = logits.size(2);
        return Losses.crossEntropy(logits.reshape(b * t, v), batch.target().reshape(b * t), Vocabulary.PAD,
                Reduction.MEAN, 0f);
    }

    /** Bengio et al. 2015's inverse sigmoid decay: {@code eps_i = k / (k + exp(i / k))}. */
    public static double inverseSigmoid(int step, double k) {
        return TeacherForcing.inverseSigmoid(k).probability(step);
    }

    /**
     * Greedy-decodes {@code pairs} in batches.
     *
     * @return the decoded strings, in order
     */
    public static <S> List<String> translate(Translator<S> model, Vocabulary vocab, List<DateTask.Pair> pairs,
                                             int batchSize, int maxLength) {
        List<String> out = new ArrayList<>(pairs.size());
        model.module().eval();
        try (Grad g = Grad.disabled()) {
            for (int i = 0; i < pairs.size(); i += batchSize) {
                List<DateTask.Pair> chunk = pairs.subList(i, Math.min(pairs.size(), i + batchSize));
                try (var scope = Tensor.scope()) {
                    Batch bt = batch(chunk, vocab, model.module().backend());
                    int[] starts = new int[chunk.size()];
                    Arrays.fill(starts, Vocabulary.START);
                    S start = model.start(bt, false);
                    var result = GreedyDecoder.decode(model.stepDecoder(), start, starts, Vocabulary.END, maxLength);
                    model.release(result.state());
                    for (Hypothesis h : result.hypotheses()) {
                        out.add(vocab.decode(h.tokensWithoutEnd()));
                    }
                }
            }
        } finally {
            model.module().train();
        }
        return out;
    }

    /** @return the fraction of {@code pairs} whose greedy translation equals the target exactly */
    public static double exactMatch(Translator<?> model, Vocabulary vocab, List<DateTask.Pair> pairs, int batchSize) {
        List<String> got = translate(model, vocab, pairs, batchSize, 16);
        int ok = 0;
        for (int i = 0; i < pairs.size(); i++) {
            ok += got.get(i).equals(pairs.get(i).target()) ? 1 : 0;
        }
        return (double) ok / pairs.size();
    }
}
