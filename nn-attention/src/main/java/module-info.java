/**
 * Sequor attention: additive (Bahdanau) and multiplicative (Luong) attention, multi-head attention on
 * the fused scaled-dot-product kernel of the backend SPI, masks with one explicit polarity, positional
 * encodings and the Transformer with an incremental key/value cache.
 */
module dev.sequor.nn.attention {
    // Layers take and return core tensors and extend core's Module, so users of this module see core.
    requires transitive dev.sequor.core;

    exports dev.sequor.nn.attention;
}
