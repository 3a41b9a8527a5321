package dev.sequor.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizerTest {
    /** ~1 MB of generated text in Latin, Cyrillic, Greek, CJK, Arabic, emoji and digits, words repeating. */
    static String mixedText(int chars, long seed) {
        String[] alphabets = {"abcdefghijklmnopqrstuvwxyzéàüß", "абвгдеёжзийклмнопрстуфхцчшщыэюя", "αβγδεζηθικλμνξοπρστυφχψω",
                "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年", "ابتثجحخدذرزسشصضطظعغفقكلمنهوي", "0123456789"};
        String[] emoji = {"\uD83D\uDE00", "\uD83D\uDE80", "\u2764\uFE0F", "\uD83C\uDDEB\uD83C\uDDF7"};
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> lexicon = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String a = alphabets[rng.nextInt(alphabets.length)];
            int[] cps = a.codePoints().toArray();
            StringBuilder w = new StringBuilder();
            for (int j = 1 + rng.nextInt(8); j > 0; j--) {
                w.appendCodePoint(cps[rng.nextInt(cps.length)]);
            }
            lexicon.add(w.toString());
        }
        StringBuilder sb = new StringBuilder();
        while (sb.length() < chars) {
            // Zipf-like: low indices much more often.
            sb.append(lexicon.get((int) (lexicon.size() * Math.pow(rng.nextDouble(), 3))));
            int r = rng.nextInt(20);
            sb.append(r == 0 ? ".\n" : r == 1 ? ", " : r == 2 ? emoji[rng.nextInt(emoji.length)] : r == 3 ? "\t" : " ");
        }
        return sb.toString();
    }

    @Test
    void bpeRoundTripsAMegabyteOfMixedScriptTextExactly() {
        String text = mixedText(1 << 20, 1);
        long t0 = System.nanoTime();
        BpeTokenizer bpe = BpeTokenizer.train(List.of(text), 4000);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("BPE: trained %d merges on %,d chars in %.2f s%n", bpe.merges(), text.length(), trainSeconds);

        assertThat(bpe.merges()).isEqualTo(4000 - Tokenizer.RESERVED - 256);
        int[] ids = bpe.encode(text);
        assertThat(bpe.decode(ids)).isEqualTo(text);
        // Merges compress: far fewer tokens than UTF-8 bytes.
        assertThat(ids.length).isLessThan(text.getBytes(StandardCharsets.UTF_8).length / 3);
        assertThat(Arrays.stream(ids).allMatch(id -> id >= Tokenizer.RESERVED && id < bpe.size())).isTrue();
        // Unseen text still round-trips (bytes are the base alphabet).
        String unseen = "Grüße, мир! 你好 🎉 ∑x² = 42";
        assertThat(bpe.decode(bpe.encode(unseen))).isEqualTo(unseen);

        Tokenizer back = Tokenizer.fromJson(bpe.toJson());
        assertThat(back.encode(text)).isEqualTo(ids);
        assertThat(back.size()).isEqualTo(bpe.size());
    }

    @Test
    void bpeLearnsTheMostFrequentPairFirst() {
        BpeTokenizer bpe = BpeTokenizer.train(List.of("abab abab abab cd"), Tokenizer.RESERVED + 256 + 1);
        int a = Tokenizer.RESERVED + 'a';
        int b = Tokenizer.RESERVED + 'b';
        assertThat(bpe.encode("ab")).containsExactly(Tokenizer.RESERVED + 256);
        assertThat(bpe.encode("ba")).containsExactly(b, a);
    }

    @Test
    void charTokenizerRoundTripsAndMapsUnseenToUnk() {
        String text = mixedText(200_000, 2);
        CharTokenizer chars = CharTokenizer.fit(text);
        assertThat(chars.decode(chars.encode(text))).isEqualTo(text);
        assertThat(chars.encode("Ω")).containsExactly(Tokenizer.UNK);
        Tokenizer back = Tokenizer.fromJson(chars.toJson());
        assertThat(back.encode(text)).isEqualTo(chars.encode(text));
    }

    @Test
    void wordTokenizerKeepsFrequentWordsAndUnksTheRest() {
        WordTokenizer words = WordTokenizer.fit(List.of("the cat sat on the mat. The dog sat!"), 2, 0, true);
        assertThat(words.size()).isEqualTo(Tokenizer.RESERVED + 2); // "the" (3x), "sat" (2x)
        assertThat(words.encode("The cat sat")).containsExactly(words.id("the"), Tokenizer.UNK, words.id("sat"));
        assertThat(words.decode(words.encode("the sat"))).isEqualTo("the sat");
        assertThat(WordTokenizer.split("Grüße, мир! 42x", false)).containsExactly("Grüße", ",", "мир", "!", "42", "x");

        String text = mixedText(300_000, 3);
        WordTokenizer all = WordTokenizer.fit(List.of(text), 1, 0, false);
        List<String> tokens = WordTokenizer.split(text, false);
        assertThat(all.decode(all.encode(text))).isEqualTo(String.join(" ", tokens));
        assertThat(Tokenizer.fromJson(all.toJson()).encode(text)).isEqualTo(all.encode(text));
    }

    @Test
    void badJsonIsRejectedWithTheReason() {
        assertThatThrownBy(() -> Tokenizer.fromJson("{\"type\":\"sentencepiece\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown tokenizer type 'sentencepiece'");
        assertThatThrownBy(() -> Tokenizer.fromJson("{\"type\":\"bpe\",\"merges\":[999,5]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not exist yet");
        assertThatThrownBy(() -> Tokenizer.fromJson("[1,2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed");
    }
}
