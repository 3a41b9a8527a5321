package dev.sequor.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A missing backend skips with its reason, or fails when required; a present one is returned. */
class BackendLookupTest {

    @Test
    void anAvailableBackendIsReturned() {
        assertThat(BackendLookup.availableOrSkip("reference", true).name()).isEqualTo("reference");
    }

    @Test
    void aMissingBackendSkipsWithTheReasonUnlessRequired() {
        assertThatThrownBy(() -> BackendLookup.availableOrSkip("no-such-backend", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no-such-backend").hasMessageContaining("no provider named");
        assertThatThrownBy(() -> BackendLookup.availableOrSkip("no-such-backend", true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-backend").hasMessageContaining("reference");
    }
}
