package dev.sequor.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetsTest {

    @Test
    void csvRowsHonourQuotesSeparatorsAndNewlines(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, "text,label\r\n\"good, \"\"very\"\" good\",1\nplain,0\n\"two\nlines\",1\n,\n");
        List<String[]> rows = Datasets.rows(csv, ',', true);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).containsExactly("good, \"very\" good", "1");
        assertThat(rows.get(1)).containsExactly("plain", "0");
        assertThat(rows.get(2)).containsExactly("two\nlines", "1");
        assertThat(rows.get(3)).containsExactly("", "");
        Path tsv = dir.resolve("data.tsv");
        Files.writeString(tsv, "a b\t3\nc\t4");
        assertThat(Datasets.rows(tsv, '\t', false)).satisfiesExactly(
                r -> assertThat(r).containsExactly("a b", "3"), r -> assertThat(r).containsExactly("c", "4"));
        Files.writeString(tsv, "\"open\t1\n");
        assertThatThrownBy(() -> Datasets.rows(tsv, '\t', false)).hasMessageContaining("not closed");
    }

    @Test
    void linesDropEmptyLinesAndKeepUnicode(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.txt");
        Files.writeString(f, "héllo\n\nмир 世界\n");
        assertThat(Datasets.lines(f)).containsExactly("héllo", "мир 世界");
    }

    @Test
    void batchesAreASeededShuffleCoveringEveryItemOnce() {
        List<Integer> items = IntStream.range(0, 10).boxed().toList();
        EpochSource<List<Integer>> src = Datasets.batches(items, 4, true, 5, g -> g);
        List<List<Integer>> e0 = new ArrayList<>();
        src.epoch(0).forEach(e0::add);
        assertThat(e0).extracting(List::size).containsExactly(4, 4, 2);
        assertThat(e0.stream().flatMap(List::stream).sorted().toList()).isEqualTo(items);
        List<List<Integer>> again = new ArrayList<>();
        src.epoch(0).forEach(again::add);
        assertThat(again).isEqualTo(e0);
        List<List<Integer>> e1 = new ArrayList<>();
        src.epoch(1).forEach(e1::add);
        assertThat(e1).isNotEqualTo(e0);
        List<List<Integer>> plain = new ArrayList<>();
        Datasets.batches(items, 4, false, 5, g -> g).epoch(3).forEach(plain::add);
        assertThat(plain.get(0)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void prefetchGivesTheSourceOrderAndRethrowsAProducerFailure() {
        EpochSource<Integer> src = e -> IntStream.range(0, 100).map(i -> i + 1000 * e).boxed().toList();
        List<Integer> got = new ArrayList<>();
        Prefetch.of(src, 3).epoch(2).forEach(got::add);
        assertThat(got).isEqualTo(src.epoch(2));
        EpochSource<Integer> bad = e -> () -> new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (i == 5) {
                    throw new IllegalArgumentException("row 5 is broken");
                }
                return i++;
            }
        };
        List<Integer> seen = new ArrayList<>();
        assertThatThrownBy(() -> Prefetch.of(bad, 2).epoch(0).forEach(seen::add)).hasMessageContaining("row 5 is broken");
        assertThat(seen).containsExactly(0, 1, 2, 3, 4);
    }
}
