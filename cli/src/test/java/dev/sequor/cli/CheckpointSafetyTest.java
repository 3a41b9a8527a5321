package dev.sequor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code charlm train} and {@code demo} protect existing checkpoints and check their output paths before training. */
class CheckpointSafetyTest {

    @TempDir
    Path dir;

    private String[] train(Path text, Path ckpt, String... more) {
        String[] base = {"charlm", "train", "--text", text.toString(), "--checkpoint", ckpt.toString(), "--hidden", "8",
            "--layers", "1", "--seq", "8", "--batch", "2", "--steps", "2", "--every", "2", "--backend", "reference"};
        return CharLmEndToEndTest.concat(base, more);
    }

    @Test
    void aNewRunRefusesToReplaceAnExistingCheckpointUnlessForced() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), CharLmEndToEndTest.corpus(50, 1));
        Path ckpt = dir.resolve("lm.safetensors");
        CliRun first = CliRun.of(train(text, ckpt));
        assertThat(first.code()).as(first.err()).isZero();
        byte[] saved = Files.readAllBytes(ckpt);

        CliRun again = CliRun.of(train(text, ckpt, "--hidden", "16"));
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains(ckpt.toString()).contains("already exists").contains("'charlm' model")
                .contains("trained for 2 steps").contains("--resume").contains("--force");
        assertThat(again.out()).doesNotContain("Model:");
        assertThat(Files.readAllBytes(ckpt)).isEqualTo(saved);

        CliRun forced = CliRun.of(train(text, ckpt, "--hidden", "16", "--force"));
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(Files.readAllBytes(ckpt)).isNotEqualTo(saved);

        Path notOurs = Files.writeString(dir.resolve("notes.safetensors"), "my notes");
        CliRun other = CliRun.of(train(text, notOurs));
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.err()).contains(notOurs.toString()).contains("not a safetensors checkpoint");
        assertThat(Files.readString(notOurs)).isEqualTo("my notes");

        assertThat(CliRun.of("charlm", "--help").out()).contains("--force");
    }

    @Test
    void anUnwritableCheckpointIsReportedBeforeTrainingWithTheReason() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), CharLmEndToEndTest.corpus(50, 1));
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        Path ckpt = file.resolve("sub").resolve("lm.safetensors"); // under a regular file
        CliRun r = CliRun.of(train(text, ckpt));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--checkpoint " + ckpt).contains("cannot write there").contains("Not a directory");
        assertThat(r.out()).doesNotContain("Model:");

        CliRun isDir = CliRun.of(train(text, dir));
        assertThat(isDir.code()).isEqualTo(1);
        assertThat(isDir.err()).contains(dir + " is a directory");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("t.txt", "plain.txt");
        }
    }

    @Test
    void anUnwritableDemoOutputIsReportedBeforeTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        CliRun r = CliRun.of("demo", "--out", file.toString(), "--steps", "1", "--backend", "reference");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--out " + file).contains("cannot write there");
        assertThat(r.out()).doesNotContain("Task:");
    }
}
