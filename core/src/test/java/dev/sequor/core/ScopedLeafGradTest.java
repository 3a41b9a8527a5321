package dev.sequor.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.spi.Backend;

import org.junit.jupiter.api.Test;

/** A leaf that requires grad, created inside a scope, must not leak its (unscoped) gradient. */
class ScopedLeafGradTest {

    @Test
    void closingALeafFreesItsGradient() {
        Backend be = Backends.get("reference");
        Runnable step = () -> {
            try (Scope s = Tensor.scope()) {
                Tensor x = Tensor.ones(be, 2, 3).requiresGrad(true);
                x.mul(2f).sum().backward();
                assertThat(x.grad().toFloatArray()).containsOnly(2f);
            }
        };
        step.run();
        long live = be.liveBuffers();
        step.run();
        step.run();
        assertThat(be.liveBuffers()).isEqualTo(live);
    }
}
