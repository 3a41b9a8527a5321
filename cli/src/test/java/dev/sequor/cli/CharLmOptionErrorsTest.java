package dev.sequor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** charlm options that would do nothing, or the wrong thing, stop with a message and a non-zero exit. */
class CharLmOptionErrorsTest {

    @TempDir
    Path dir;

    private Path text() throws Exception {
        return Files.writeString(dir.resolve("t.txt"), "the cat sat on the mat. ".repeat(40));
    }

    private CliRun train(Path text, Path ckpt, String... more) {
        String[] base = {"charlm", "train", "--text", text.toString(), "--checkpoint", ckpt.toString(),
                "--backend", "reference", "--hidden", "8", "--layers", "1", "--batch", "2", "--seq", "8"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRun.of(all);
    }

    @Test
    void aZeroValidationFractionIsRefusedInsteadOfReportingNaN() throws Exception {
        CliRun r = train(text(), dir.resolve("a.safetensors"), "--steps", "2", "--val", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--val must be in (0, 1)").contains("got 0");
        assertThat(r.out()).doesNotContain("NaN");
    }

    @Test
    void aValidationTailTooShortToScoreIsRefused() throws Exception {
        CliRun r = train(text(), dir.resolve("a.safetensors"), "--steps", "2", "--val", "0.0001");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--val 1.0E-4 holds out 0").contains("at least 2");
        assertThat(r.out()).doesNotContain("NaN");
    }

    @Test
    void resumingACheckpointAlreadyPastStepsSaysSoAndFails() throws Exception {
        Path text = text();
        Path ckpt = dir.resolve("lm.safetensors");
        CliRun first = train(text, ckpt, "--steps", "3", "--every", "3");
        assertThat(first.code()).as(first.err()).isZero();
        CliRun again = train(text, ckpt, "--steps", "1", "--resume");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already at step 3").contains("--steps 1").contains("above 3");
        CliRun equal = train(text, ckpt, "--steps", "3", "--resume");
        assertThat(equal.code()).isEqualTo(1);
        assertThat(equal.err()).contains("already at step 3");
    }

    @Test
    void anExplicitBeamOfZeroIsAnErrorNotSampling() throws Exception {
        Path ckpt = dir.resolve("lm.safetensors");
        assertThat(train(text(), ckpt, "--steps", "1", "--every", "1").code()).isZero();
        CliRun r = CliRun.of("charlm", "sample", "--checkpoint", ckpt.toString(), "--prompt", "th", "--beam", "0",
                "--backend", "reference", "--length", "5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--beam must be positive, got 0");
        CliRun ok = CliRun.of("charlm", "sample", "--checkpoint", ckpt.toString(), "--prompt", "th",
                "--backend", "reference", "--length", "5");
        assertThat(ok.code()).as(ok.err()).isZero();
    }

    @Test
    void aPositiveOptionTooLargeNamesItsRealRange() {
        CliRun r = CliRun.of("demo", "--steps", "1000000000000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--steps must be between 1 and " + Integer.MAX_VALUE)
                .doesNotContain(String.valueOf(Integer.MIN_VALUE));
    }
}
