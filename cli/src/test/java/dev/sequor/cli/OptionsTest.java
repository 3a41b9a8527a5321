package dev.sequor.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Option values that are missing or out of range get a message saying exactly that. */
class OptionsTest {

    @Test
    void aTrailingValuedOptionSaysItNeedsAValue() {
        Options o = Options.parse(new String[] {"train", "--steps"});
        assertThatThrownBy(() -> o.integer("steps", 600)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--steps needs a value").hasMessageNotContaining("true");
        Options before = Options.parse(new String[] {"--out", "--force"});
        assertThatThrownBy(() -> before.string("out", "x")).hasMessageContaining("--out needs a value");
        assertThat(before.flag("force")).isTrue();
    }

    @Test
    void anIntegerTooLargeSaysTheRangeNotThatItIsNoInteger() {
        Options o = Options.parse(new String[] {"--steps", "1000000000000", "--lr", "x"});
        assertThatThrownBy(() -> o.integer("steps", 600)).isInstanceOf(UsageException.class)
                .hasMessageContaining("1000000000000").hasMessageContaining(String.valueOf(Integer.MAX_VALUE))
                .hasMessageNotContaining("expects an integer");
        assertThatThrownBy(() -> Options.parse(new String[] {"--steps=ten"}).integer("steps", 1))
                .hasMessageContaining("expects an integer, got 'ten'");
        assertThat(Options.parse(new String[] {"--steps", "12"}).integer("steps", 1)).isEqualTo(12);
    }
}
