package dev.sequor.train;

import dev.sequor.core.Seed;
import dev.sequor.core.Tensor;
import dev.sequor.nn.Linear;
import dev.sequor.nn.recurrent.Lstm;
import dev.sequor.nn.recurrent.LstmConfig;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's Java example, verbatim between the markers, must keep training. */
class ReadmeExampleTest {

    @Test
    void theReadmeFitExampleLearns() {
        // README-EXAMPLE-BEGIN
        // An LSTM reads a noisy sequence (B, T, 1) = (64, 20, 1) and says whether its sum is positive.
        var lstm = new Lstm(LstmConfig.of(1, 32));
        var head = new Linear(32, 2, Seed.of(7));
        var train = IntStream.range(0, 150).mapToObj(i -> Tensor.normal(0f, 1f, Seed.of(i), 64, 20, 1)).toList();
        var held = List.of(Tensor.normal(0f, 1f, Seed.of(999), 512, 20, 1));          // batches (B, T, 1)
        var trainer = Trainer.<Tensor>of((x, info) -> Prediction.of(
                        head.forward(lstm.forward(x).output().select(1, 19)),      // last step: (B, 2)
                        x.sum(1, false).reshape(-1).gt(Tensor.scalar(0f))),        // (B): 1 if positive
                        lstm, head)
                .optimizer(m -> new Adam(m, AdamConfig.adam(1e-2)))
                .metrics(Metrics.accuracy())
                .validation(held, 50)                                              // a history row every 50 steps
                .callbacks(new ProgressPrinter(System.out));
        History history = trainer.fit(train, 1);
        // README-EXAMPLE-END
        assertThat(history.rows()).hasSize(3);
        double[] loss = history.series("loss");                        // 0.33, 0.14, 0.10 when written
        assertThat(loss[2]).isLessThan(0.2).isLessThan(loss[0] / 2);
        assertThat(history.last().values().get("val_accuracy")).isGreaterThan(0.85);   // 0.92 when written
    }

    @Test
    void theReadmeShowsThisTestsCode() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int section = readme.indexOf("## Sequor from Java");
        int from = readme.indexOf("```java\n", section) + "```java\n".length();
        String shown = readme.substring(from, readme.indexOf("```\n", from)).strip();
        String source = Files.readString(Path.of("src/test/java/dev/sequor/train/ReadmeExampleTest.java"));
        String between = source.substring(source.indexOf("// README-EXAMPLE-BEGIN"), source.indexOf("// README-EXAMPLE-END"));
        String code = between.lines().skip(2).map(l -> l.substring(Math.min(8, l.length())))
                .collect(Collectors.joining("\n")).strip();
        assertThat(shown).isEqualTo(code);
    }
}
