package dev.sequor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sequor charlm train}, resume and sample on a text the test writes. */
class CharLmEndToEndTest {

    @TempDir
    Path dir;

    /** Sentences from a tiny grammar: low entropy a model can learn in a few hundred steps. */
    static String corpus(int sentences, long seed) {
        String[] subj = {"the cat", "a dog", "my bird", "the fox"};
        String[] verb = {"sat on", "ran to", "looked at", "jumped over"};
        String[] obj = {"the mat.", "a log.", "the moon.", "my hat."};
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            sb.append(subj[r.nextInt(4)]).append(' ').append(verb[r.nextInt(4)]).append(' ')
                    .append(obj[r.nextInt(4)]).append('\n');
        }
        return sb.toString();
    }

    static List<Double> bpcs(String out) {
        List<Double> v = new ArrayList<>();
        Matcher m = Pattern.compile("step \\d+: validation (\\d+\\.\\d+) bits/char").matcher(out);
        while (m.find()) {
            v.add(Double.parseDouble(m.group(1)));
        }
        return v;
    }

    @Test
    void trainsResumesAndSamples() throws Exception {
        Path text = Files.writeString(dir.resolve("tiny.txt"), corpus(1500, 1));
        Path ckpt = dir.resolve("lm.safetensors");
        String[] common = {"--text", text.toString(), "--checkpoint", ckpt.toString(), "--hidden", "48",
            "--layers", "1", "--seq", "32", "--tbptt", "16", "--batch", "8", "--lr", "0.01", "--every", "100"};
        CliRun first = CliRun.of(concat(new String[] {"charlm", "train", "--steps", "200"}, common));
        assertThat(first.code()).as(first.err()).isZero();
        List<Double> v = bpcs(first.out());
        assertThat(v).hasSize(2);
        // 25 distinct characters: log2(25) ~ 4.6 bits untrained; the grammar's entropy is far lower
        assertThat(v.get(1)).isLessThan(2.2);
        assertThat(first.out()).doesNotContain("\r");

        CliRun more = CliRun.of(concat(new String[] {"charlm", "train", "--steps", "300", "--resume"}, common));
        assertThat(more.code()).as(more.err()).isZero();
        assertThat(more.out()).contains("Resuming from").contains("at step 200 of 300");
        assertThat(bpcs(more.out())).hasSize(1);
        assertThat(bpcs(more.out()).get(0)).isLessThan(v.get(0) + 0.05);

        CliRun mismatch = CliRun.of(concat(concat(new String[] {"charlm", "train", "--steps", "300", "--resume"},
            common), new String[] {"--hidden", "64"}));
        assertThat(mismatch.code()).isEqualTo(1);
        assertThat(mismatch.err()).contains("--hidden 48").contains("--hidden 64");

        CliRun a = CliRun.of("charlm", "sample", "--checkpoint", ckpt.toString(), "--prompt", "the cat ", "--length",
                "60", "--temperature", "0.5", "--seed", "4");
        CliRun b = CliRun.of("charlm", "sample", "--checkpoint", ckpt.toString(), "--prompt", "the cat ", "--length",
                "60", "--temperature", "0.5", "--seed", "4");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out()).startsWith("the cat ");
        assertThat(a.out().strip().length()).isGreaterThan(40);
        // learned words show up in the sample
        assertThat(a.out().substring(8)).containsAnyOf("the", "mat", "log", "moon", "hat", "dog", "fox");

        CliRun beam = CliRun.of("charlm", "sample", "--checkpoint", ckpt.toString(), "--prompt", "a dog ", "--length",
                "20", "--beam", "3", "--backend", "reference");
        assertThat(beam.code()).as(beam.err()).isZero();
        assertThat(beam.out()).startsWith("a dog ");
        assertThat(beam.out().strip().length()).isEqualTo(26);

        CliRun unknownChar = CliRun.of("charlm", "sample", "--checkpoint", ckpt.toString(), "--prompt", "ZEBRA");
        assertThat(unknownChar.code()).isEqualTo(1);
        assertThat(unknownChar.err()).contains("'Z'").contains("not in the model's vocabulary");
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
