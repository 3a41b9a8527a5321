package dev.sequor.cli;

import dev.sequor.cli.ui.HeatMap;
import dev.sequor.train.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoAndUiTest {

    @TempDir
    Path dir;

    @Test
    void demoOnTinySettingsWritesEverything() throws Exception {
        CliRun r = CliRun.of("demo", "--steps", "40", "--hidden", "32", "--batch", "32", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Held-out exact match:").contains("Beam search (width 4)")
                .contains("Checkpoint: ").contains("attention.png").doesNotContain("\r");
        assertThat(r.out()).containsPattern("step 40/40  loss \\d+\\.\\d+ .* tok/s");
        assertThat(dir.resolve("dates-seq2seq.safetensors")).isNotEmptyFile();
        BufferedImage img = ImageIO.read(dir.resolve("attention.png").toFile());
        assertThat(img.getWidth()).isGreaterThan(100);

        // the saved model runs again, on the reference backend, through 'sequor translate'
        String ckpt = dir.resolve("dates-seq2seq.safetensors").toString();
        CliRun t = CliRun.of("translate", "--checkpoint", ckpt, "--backend", "reference", "--beam", "2", "--nbest", "2",
                "Nov 21, 2026");
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(t.out().lines().filter(l -> l.startsWith("\"Nov 21, 2026\"") && l.contains(" -> ")).count())
                .isEqualTo(2);
        CliRun bad = CliRun.of("translate", "--checkpoint", ckpt, "Nov 21, 2026 ☃");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("not in the model's vocabulary");
    }

    @Test
    void progressPrintsPlainLinesWhenNotATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 3, 3600);
        p.update(1, 2.5, 100);
        p.update(2, 2.0, 100);
        p.update(3, 1.5, 100);
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertThat(s).doesNotContain("\r").contains("step 1/3  loss 2.5000").contains("step 3/3  loss 1.5000");
        assertThat(s.lines().count()).isEqualTo(2);   // the first and the last; the middle is within the period

        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        Progress bar = new Progress(new PrintStream(tty, true, StandardCharsets.UTF_8), true, 2, 1);
        bar.update(1, 1.0, 10);
        bar.update(2, 0.5, 10);
        assertThat(tty.toString(StandardCharsets.UTF_8)).contains("\r[").contains("ETA").contains("] ");
    }

    @Test
    void heatMapHasACellPerPairAndDarkestWhereTheWeightIsOne() throws Exception {
        Path png = dir.resolve("h.png");
        float[][] w = {{1f, 0f, 0f}, {0f, 0.5f, 0.5f}};
        HeatMap.write(png, w, List.of("a", " ", "c"), List.of("x", "</s>"), "test");
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(Files.size(png)).isGreaterThan(100);
        // cell (0, 0) is dark, cell (0, 1) is white: left = 52, top = 56, cells of 18 px
        int dark = img.getRGB(52 + 9, 56 + 9) & 0xff;
        int white = img.getRGB(52 + 18 + 9, 56 + 9) & 0xff;
        assertThat(dark).isLessThan(120);
        assertThat(white).isEqualTo(255);
    }
}
