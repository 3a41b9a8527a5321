package dev.sequor.spi;

import java.util.Objects;

/**
 * An additive score bias for attention, read through strides over {@code (batch, heads, queries, keys)}:
 * element {@code (b, h, i, j)} is {@code buffer[b*s0 + h*s1 + i*s2 + j*s3]}. A stride of 0
 * broadcasts, so a key-padding bias {@code (B, S)} is strides {@code (S, 0, 0, 1)} and a shared
 * {@code (L, S)} mask is {@code (0, 0, S, 1)}. {@code -Infinity} excludes a key; any finite value is added
 * to the score. Boolean masks are turned into 0 / -Inf biases above the SPI, so the SPI has one meaning.
 *
 * @param buffer  the storage
 * @param strides four strides, in floats
 */
public record AttentionBias(Buffer buffer, long[] strides) {

    public AttentionBias {
        Objects.requireNonNull(buffer, "buffer");
        if (strides == null || strides.length != 4) {
            throw new IllegalArgumentException("attention bias: need 4 strides over (batch, heads, queries, keys)");
        }
        strides = strides.clone();
    }

    @Override
    public long[] strides() {
        return strides.clone();
    }
}
