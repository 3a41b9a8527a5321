package dev.sequor.examples;

import dev.sequor.core.Backends;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Jordan network learns Mackey-Glass one step ahead to a stated held-out error (0.032 measured). */
class JordanMackeyGlassTest {

    @Test
    void heldOutErrorIsBelowTheBoundAndWellBelowPersistence() {
        JordanMackeyGlass.Result r = JordanMackeyGlass.run(Backends.get("reference"), 1000, 1L);
        assertThat(r.jordan()).as("Jordan held-out NRMSE").isLessThan(0.06);
        assertThat(r.jordan()).as("Jordan vs persistence " + r.persistence()).isLessThan(r.persistence() / 3);
    }
}
