package dev.sequor.cli;

import dev.sequor.cli.seq2seq.DateTask;
import dev.sequor.cli.text.Vocabulary;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DateTaskTest {

    @Test
    void samplesAreReproducibleVariedAndInTheVocabulary() {
        List<DateTask.Pair> a = DateTask.sample(500, 7);
        assertThat(a).isEqualTo(DateTask.sample(500, 7));
        assertThat(a).isNotEqualTo(DateTask.sample(500, 8));
        Vocabulary v = Vocabulary.of(DateTask.alphabet());
        Set<Integer> lengths = new HashSet<>();
        for (DateTask.Pair p : a) {
            assertThat(p.target()).matches("(19[5-9]\\d|20[0-4]\\d)-\\d\\d-\\d\\d");
            assertThat(v.decode(v.encode(p.source()))).isEqualTo(p.source());
            lengths.add(p.source().length());
        }
        assertThat(lengths.size()).isGreaterThan(10);
    }

    @Test
    void vocabularyRoundTripsAndNamesUnknownCharacters() {
        Vocabulary v = Vocabulary.of("héllo");
        assertThat(Vocabulary.fromJson(v.toJson()).decode(v.encode("olé"))).isEqualTo("olé");
        assertThat(v.size()).isEqualTo(3 + 4);
        assertThat(v.label(Vocabulary.END)).isEqualTo("</s>");
        assertThatThrownBy(() -> v.encode("hlx")).hasMessageContaining("'x'").hasMessageContaining("position 2");
    }
}
