package dev.sequor.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A save removes the temporary files that killed saves of the same file left behind, and nothing else. */
class SafeTensorsStaleTempTest {

    private static final Map<String, TensorData> DATA = Map.of("w", TensorData.of(new int[] {2}, new float[] {1, 2}));

    @Test
    void theNextSaveRemovesTemporariesOfKilledSavesOfTheSameFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("model[1].safetensors"); // glob metacharacters in the name
        Path stale1 = Files.write(dir.resolve(".model[1].safetensors.1a2b3c4d5e6f7081.tmp"), new byte[100]);
        Path stale2 = Files.write(dir.resolve(".model[1].safetensors.0.tmp"), new byte[0]);
        Path otherFile = Files.write(dir.resolve(".other.safetensors.1a2b.tmp"), new byte[10]);
        Path notOurs = Files.write(dir.resolve(".model[1].safetensors.notes.tmp"), new byte[10]);
        Path plain = Files.write(dir.resolve("model[1].safetensors.tmp"), new byte[10]);

        SafeTensors.write(target, DATA);

        assertThat(stale1).doesNotExist();
        assertThat(stale2).doesNotExist();
        assertThat(otherFile).exists();
        assertThat(notOurs).exists();
        assertThat(plain).exists();
        assertThat(SafeTensors.read(target).tensors()).containsOnlyKeys("w");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "model[1].safetensors", ".other.safetensors.1a2b.tmp", ".model[1].safetensors.notes.tmp",
                    "model[1].safetensors.tmp");
        }
    }

    @Test
    void aTemporaryFileAWriterStillHoldsIsLeftAlone(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("ckpt.safetensors");
        Path inProgress = dir.resolve(".ckpt.safetensors.abc123.tmp");
        try (FileChannel ch = FileChannel.open(inProgress, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.lock(); // as a concurrent save does while it writes
            SafeTensors.write(target, DATA);
            assertThat(inProgress).exists();
        }
        SafeTensors.write(target, DATA); // no longer held: now it is stale
        assertThat(inProgress).doesNotExist();
    }
}
