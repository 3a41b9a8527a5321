package dev.sequor.conformance;

/**
 * The fused tier of the SPI that {@code core} defines (softmax cross-entropy and layer norm): part
 * of {@link BackendConformance}, so every backend's adapter runs it with no change. A backend that
 * does not override a fused kernel runs core's default (see {@link dev.sequor.spi.Backend}); one that
 * does proves here that its override means the same.
 */
public interface FusedKernelConformance extends CrossEntropyConformance, LayerNormConformance {
}
