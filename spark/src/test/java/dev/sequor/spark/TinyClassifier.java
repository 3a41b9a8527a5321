package dev.sequor.spark;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Embedding;
import dev.sequor.nn.Linear;
import dev.sequor.nn.Module;
import dev.sequor.nn.recurrent.Lstm;
import dev.sequor.nn.recurrent.LstmConfig;

/** Embedding -> LSTM -> Linear over the last valid step: a many-to-one classifier for the tests. */
final class TinyClassifier extends Module {
    static final int VOCAB = 12;
    private final Embedding embed;
    private final Lstm lstm;
    private final Linear head;

    TinyClassifier(int classes) {
        embed = registerModule("embed", new Embedding(VOCAB, 8, Seed.of(11)));
        lstm = registerModule("lstm", new Lstm(LstmConfig.of(8, 16)));
        head = registerModule("head", new Linear(16, classes, Seed.of(13)));
    }

    /** @return logits (B, classes) */
    Tensor logits(TokenBatch batch) {
        Tensor x = embed.forward(batch.ids(backend(), 0));                  // (B, T, 8)
        Tensor h = lstm.forward(x, null, batch.lengths()).hN().select(0, 0); // (B, 16) at each row's last step
        return head.forward(h);
    }

    /** @return next-token logits (B, T, classes) at every step */
    Tensor stepLogits(TokenBatch batch) {
        Tensor x = embed.forward(batch.ids(backend(), 0));                  // (B, T, 8)
        return head.forward(lstm.forward(x, null, batch.lengths()).output()); // (B, T, classes)
    }

    static TinyClassifier load(byte[] checkpoint, int classes) {
        TinyClassifier m = new TinyClassifier(classes);
        TrainingState.loadModel(checkpoint, "test checkpoint", m);
        return m;
    }
}
