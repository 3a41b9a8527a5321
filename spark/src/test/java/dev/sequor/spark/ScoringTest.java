package dev.sequor.spark;

import dev.sequor.core.Grad;
import dev.sequor.core.Tensor;
import dev.sequor.optim.Adam;
import dev.sequor.optim.AdamConfig;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScoringTest {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, false), false);

    @Test
    void distributedScoringEqualsSingleProcessScoring(@TempDir Path dir) throws Exception {
        Path ck = checkpoint(dir);
        List<Example> examples = Example.generate(103, 21);
        Dataset<Row> rows = rows(examples).repartition(4);
        assertThat(rows.javaRDD().getNumPartitions()).isEqualTo(4);

        ClassifierScorer<TinyClassifier> cls = new ClassifierScorer<>("tokens", b -> TinyClassifier.load(b, 2),
                TinyClassifier::logits);
        PerplexityScorer<TinyClassifier> lm = new PerplexityScorer<>("tokens",
                b -> TinyClassifier.load(b, TinyClassifier.VOCAB), TinyClassifier::stepLogits);
        List<Row> scored = SparkScoring.score(SparkTests.session(), rows, ck, cls, 8).collectAsList();
        Path lmCk = checkpoint(dir, TinyClassifier.VOCAB);
        List<Row> perplexity = SparkScoring.score(SparkTests.session(), rows, lmCk, lm, 5).collectAsList();

        assertThat(scored).hasSize(examples.size());
        TinyClassifier single = TinyClassifier.load(Files.readAllBytes(ck), 2);
        TinyClassifier singleLm = TinyClassifier.load(Files.readAllBytes(lmCk), TinyClassifier.VOCAB);
        for (Row r : scored) {
            int id = r.getInt(0);
            Object[] want = scoreAlone(cls, single, examples.get(id));
            assertThat(r.getInt(2)).as("label of row %d", id).isEqualTo(want[0]);
            assertThat(r.getDouble(3)).as("probability of row %d", id).isCloseTo((Double) want[1], within(1e-6));
        }
        for (Row r : perplexity) {
            Object[] want = scoreAlone(lm, singleLm, examples.get(r.getInt(0)));
            assertThat(r.getDouble(2)).isCloseTo((Double) want[0], within(1e-6 * (Double) want[0]));
            assertThat(r.getDouble(2)).isGreaterThan(1.0);
        }
        // Labels are not all one class: the check above compares real decisions.
        assertThat(scored.stream().map(r -> r.getInt(2)).distinct().count()).isEqualTo(2);
    }

    @Test
    void aCorruptOrMissingCheckpointFailsOnTheDriverWithSequorsMessage(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, Arrays.copyOf(Files.readAllBytes(checkpoint(dir)), 100));
        ClassifierScorer<TinyClassifier> cls = new ClassifierScorer<>("tokens", b -> TinyClassifier.load(b, 2),
                TinyClassifier::logits);
        Dataset<Row> rows = rows(Example.generate(4, 1));
        assertThatThrownBy(() -> SparkScoring.score(SparkTests.session(), rows, bad, cls, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkpoint " + bad + " is corrupt");
        assertThatThrownBy(() -> SparkScoring.score(SparkTests.session(), rows, dir.resolve("none"), cls, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }

    private static Object[] scoreAlone(BatchScorer<TinyClassifier> s, TinyClassifier m, Example e) {
        try (var scope = Tensor.scope(); Grad g = Grad.disabled()) {
            Object tokens = CollectionConverters.asScala(Arrays.stream(e.tokens()).boxed().toList());
            Row r = new GenericRowWithSchema(new Object[] {0, tokens}, SCHEMA);
            return s.score(m, List.of(r)).get(0);
        }
    }

    private static Dataset<Row> rows(List<Example> examples) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            rows.add(RowFactory.create(i, Arrays.stream(examples.get(i).tokens()).boxed().toList()));
        }
        return SparkTests.session().createDataFrame(rows, SCHEMA);
    }

    private static Path checkpoint(Path dir) {
        return checkpoint(dir, 2);
    }

    private static Path checkpoint(Path dir, int classes) {
        TinyClassifier m = new TinyClassifier(classes);
        Path p = dir.resolve("model-" + classes + ".safetensors");
        TrainingState.write(p, TrainingState.encode(m, new Adam(m, AdamConfig.adam(1e-3)), 0, "tiny", "{}"));
        return p;
    }
}
