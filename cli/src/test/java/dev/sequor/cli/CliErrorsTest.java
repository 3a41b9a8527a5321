package dev.sequor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What a user sees when something is wrong: one clear line and a non-zero exit code. */
class CliErrorsTest {

    @TempDir
    Path dir;

    @Test
    void missingTextFile() {
        CliRun r = CliRun.of("charlm", "train", "--text", dir.resolve("nope.txt").toString(), "--backend", "reference");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("text file").contains("nope.txt").contains("does not exist");
    }

    @Test
    void emptyText() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        CliRun r = CliRun.of("charlm", "train", "--text", empty.toString(), "--backend", "reference");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("empty.txt").contains("is empty");
    }

    @Test
    void textNotUtf8() throws Exception {
        Path bad = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, ' ', 'x'});
        CliRun r = CliRun.of("charlm", "train", "--text", bad.toString(), "--backend", "reference");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("not valid UTF-8").contains("at byte offset 3");
    }

    @Test
    void textTooShortForTheBatch() throws Exception {
        Path small = Files.writeString(dir.resolve("small.txt"), "abc abc abc abc");
        CliRun r = CliRun.of("charlm", "train", "--text", small.toString(), "--backend", "reference",
                "--hidden", "8", "--layers", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("needs at least").contains("--batch");
    }

    @Test
    void corruptCheckpoint() throws Exception {
        Path ckpt = Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        CliRun r = CliRun.of("charlm", "sample", "--checkpoint", ckpt.toString(), "--prompt", "a", "--backend",
                "reference");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("bad.safetensors").contains("corrupt");
    }

    @Test
    void missingCheckpoint() {
        CliRun r = CliRun.of("charlm", "sample", "--checkpoint", dir.resolve("none.safetensors").toString(),
                "--prompt", "a", "--backend", "reference");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("none.safetensors").contains("does not exist");
    }

    @Test
    void unknownBackend() {
        CliRun r = CliRun.of("demo", "--backend", "tpu9000", "--steps", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("tpu9000").contains("reference");
    }

    @Test
    void unknownOptionAndCommand() {
        CliRun r = CliRun.of("demo", "--stpes", "3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown option --stpes").contains("--steps");
        CliRun c = CliRun.of("demoo");
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("unknown command 'demoo'").contains("charlm");
        CliRun s = CliRun.of("charlm");
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).contains("expected 'train' or 'sample'");
        CliRun n = CliRun.of("demo", "--steps", "many");
        assertThat(n.err()).contains("--steps expects an integer, got 'many'");
    }

    @Test
    void helpOnEveryCommand() {
        for (String cmd : new String[] {"demo", "charlm", "backends"}) {
            CliRun r = CliRun.of(cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).startsWith("Usage: sequor " + cmd);
        }
        CliRun top = CliRun.of("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("demo").contains("charlm").contains("backends");
    }
}
