package dev.sequor.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    @Test
    void aKnownTotalShowsTheBarAndAnUnknownOneNeither() {
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        Progress bar = new Progress(new PrintStream(tty, true, StandardCharsets.UTF_8), true, 4, 1);
        bar.update(2, 1.0, 10);
        bar.update(4, 0.5, 10);
        assertThat(tty.toString(StandardCharsets.UTF_8)).contains("\r[============>").contains("    4/4  loss 0.5000")
                .contains("time 0:0");
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Progress open = new Progress(new PrintStream(plain, true, StandardCharsets.UTF_8), false, 0, 3600);
        open.update(1, 2.0, 10);
        assertThat(plain.toString(StandardCharsets.UTF_8)).startsWith("step 1  loss 2.0000  ").doesNotContain("ETA")
                .doesNotContain("1/");
    }
}
