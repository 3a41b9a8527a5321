package dev.sequor.cli.seq2seq;

import dev.sequor.cli.seq2seq.Seq2SeqTraining.Batch;
import dev.sequor.core.Tensor;
import dev.sequor.decode.StepDecoder;
import dev.sequor.nn.Module;

import java.util.List;
import java.util.SplittableRandom;

/**
 * What the training loop, evaluation and the demo need of a sequence-to-sequence model, so the RNN
 * ({@link Seq2Seq}) and Transformer ({@link TransformerSeq2Seq}) variants share them.
 *
 * @param <S> the model's decoding state
 */
public interface Translator<S> {

    /** @return the model's parameters and configuration */
    Module module();

    /** @return the checkpoint kind, e.g. {@code "seq2seq"} */
    String kind();

    /** @return the configuration JSON saved in checkpoints */
    String configJson();

    /**
     * @param teacherProb 1 for teacher forcing; below 1 scheduled sampling where supported
     * @return the mean cross-entropy per target token
     */
    Tensor loss(Batch batch, double teacherProb, SplittableRandom rng);

    /** @return the step-wise view for the decoding strategies */
    StepDecoder<S> stepDecoder();

    /** @return the state before the first target token; records attention weights if asked and supported */
    S start(Batch batch, boolean recordAttention);

    /** Frees what a decoding run kept outside tensor scopes (a KV cache), given any state of that run. */
    default void release(S state) {
    }

    /** @return per step, {@code [N][S]} attention weights recorded in {@code state}, or null when not recorded */
    default List<float[][]> attention(S state) {
        return null;
    }
}
