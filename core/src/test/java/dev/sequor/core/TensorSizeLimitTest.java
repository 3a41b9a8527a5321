package dev.sequor.core;

import dev.sequor.spi.Backend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shapes whose element count overflows, or exceeds what the backend holds, are refused naming the shape. */
class TensorSizeLimitTest {

    private static final Backend BE = Backends.get("reference");

    @Test
    void anOverflowingProductIsRefusedNotWrapped() {
        assertThatThrownBy(() -> Tensor.zeros(BE, 65536, 65536, 65536, 65536))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[65536, 65536, 65536, 65536]");
        assertThatThrownBy(() -> Tensor.ones(BE, 2, 65536, 65536, 65536, 65536))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
    }

    @Test
    void moreThanTheBackendHoldsIsAnArgumentErrorNotOutOfMemory() {
        assertThat(BE.maxBufferLength()).isLessThan(1L << 31);
        assertThatThrownBy(() -> Tensor.zeros(BE, 65536, 65536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[65536, 65536]").hasMessageContaining("4294967296")
                .hasMessageContaining("reference");
    }

    @Test
    void aZeroDimensionMakesAnyShapeEmpty() {
        assertThat(Tensor.zeros(BE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0).numel()).isZero();
    }
}
