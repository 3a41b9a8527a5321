/**
 * The default implementations of the SPI's fused kernels, written once from the primitives of
 * {@link dev.sequor.spi.Backend}. A backend that does not override a fused kernel runs these; one
 * that does is checked against them (through a double-precision oracle) by the conformance kit.
 */
package dev.sequor.spi.defaults;
