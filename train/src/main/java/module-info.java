/**
 * Sequor training loop: seeded shuffling and padded batching of token sequences ({@link dev.sequor.train.Batches}),
 * and a {@link dev.sequor.train.Trainer} with gradient clipping, learning-rate schedules, validation and
 * callbacks. Kept out of core so that an inference-only user does not need it.
 */
module dev.sequor.train {
    // Batches and the trainer take and return core tensors, modules and optimizers, so users of this module see core.
    requires transitive dev.sequor.core;
    // ImageIO writes the loss-curve PNG; java.awt draws it.
    requires java.desktop;

    exports dev.sequor.train;
}
