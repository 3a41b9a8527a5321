package dev.sequor.examples;

import dev.sequor.core.Backends;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The echo-state network learns Mackey-Glass one step ahead to a stated error on held-out samples. */
class EchoStateMackeyGlassTest {

    @Test
    void seriesIsChaoticButBounded() {
        float[] s = MackeyGlass.series(3000);
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : s) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        // the tau = 17 attractor spans about [0.2, 1.4]
        assertThat(lo).isBetween(0.1f, 0.5f);
        assertThat(hi).isBetween(1.2f, 1.5f);
    }

    @Test
    void heldOutErrorIsBelowTheBoundAndFarBelowPersistence() {
        EchoStateMackeyGlass.Result r = EchoStateMackeyGlass.run(Backends.get("reference"), 1L);
        assertThat(r.esn()).as("ESN held-out NRMSE").isLessThan(0.02);
        assertThat(r.esn()).as("ESN vs persistence " + r.persistence()).isLessThan(r.persistence() / 5);
    }
}
