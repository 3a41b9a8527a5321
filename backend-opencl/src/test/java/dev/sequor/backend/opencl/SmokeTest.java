package dev.sequor.backend.opencl;

import dev.sequor.spi.Backend;
import dev.sequor.spi.Buffer;
import dev.sequor.spi.UnaryOp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {
    @Test
    void roundTripAndUnary() {
        Backend be = OpenClTestSupport.backend();
        System.out.println(be.description());
        float[] x = {1, -2, 3, 0.5f};
        try (Buffer b = OpenClTestSupport.upload(be, x); Buffer o = be.allocate(4)) {
            be.unary(UnaryOp.NEG, b, 0, o, 0, 4);
            assertThat(OpenClTestSupport.download(be, o)).containsExactly(-1, 2, -3, -0.5f);
        }
    }
}
