package dev.sequor.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null], \"b\": {\"c\": \"x\\u00e9\\n\"}} ");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("a", "b");
        @SuppressWarnings("unchecked")
        List<Object> a = (List<Object>) m.get("a");
        assertThat(a).containsExactly(1L, -2L, 3.5, 1000.0, true, false, Json.NULL);
        assertThat(((Map<?, ?>) m.get("b")).get("c")).isEqualTo("x\u00e9\n");
    }

    @Test
    void integersStayExact() {
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(Json.parse("-0")).isEqualTo(0L);
        assertThat(Json.parse("0.1")).isEqualTo(0.1);
    }

    @Test
    void surrogatePairsEscapedAndRaw() {
        assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00");
        assertThat(Json.parse("\"\uD83D\uDE00\"")).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void rejectsWhatRfc8259Rejects() {
        String[] bad = {"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "01", "-", "1.", ".5", "1e",
            "+1", "NaN", "Infinity", "tru", "nul", "\"abc", "\"a\tb\"", "\"\\x\"", "\"\\u12\"", "\"\\uZZZZ\"",
            "\"\\ud83d\"", "\"\\ude00\"", "[1 2]", "{\"a\" 1}", "1 2", "// c\n1", "/* c */1", "[1]]", "1e400"};
        for (String s : bad) {
            assertThatThrownBy(() -> Json.parse(s)).as(s).isInstanceOf(JsonException.class);
        }
    }

    @Test
    void rejectsDuplicateKeysNamingTheKey() {
        JsonException e = org.junit.jupiter.api.Assertions.assertThrows(JsonException.class,
                () -> Json.parse("{\"k\":1,\"j\":2,\"k\":3}"));
        assertThat(e.duplicateKey()).isEqualTo("k");
        assertThat(e.offset()).isEqualTo(13);
        assertThat(e.duplicatePath()).isEmpty();
        JsonException nested = org.junit.jupiter.api.Assertions.assertThrows(JsonException.class,
                () -> Json.parse("{\"a\":1,\"t\":{\"x\":[{\"y\":{\"k\":1,\"k\":2}}]}}"));
        assertThat(nested.duplicateKey()).isEqualTo("k");
        assertThat(nested.duplicatePath()).containsExactly("t", "x", "y");
        assertThat(nested.getMessage()).contains("under t.x.y");
    }

    @Test
    void limitsNestingInsteadOfOverflowingTheStack() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(JsonException.class).hasMessageContaining("deeper");
    }

    @Test
    void writesCompactAndReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", List.of(1.5f, 2.25, -3L, true, Json.NULL, "q\"\\\n\u0001\u00e9\uD83D\uDE00"));
        m.put("big", new BigInteger("123456789012345678901234567890"));
        String text = Json.write(m);
        assertThat(text).isEqualTo("{\"z\":1,\"a\":[1.5,2.25,-3,true,null,\"q\\\"\\\\\\n\\u0001\u00e9\uD83D\uDE00\"],"
                + "\"big\":123456789012345678901234567890}");
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertThat(((List<?>) back.get("a")).get(5)).isEqualTo("q\"\\\n\u0001\u00e9\uD83D\uDE00");
        assertThat(Json.write(Json.parse(text))).isEqualTo(text);
    }

    @Test
    void escapesLoneSurrogatesSoTheOutputIsValidUtf8() {
        assertThat(Json.write("a\uD800b")).isEqualTo("\"a\\ud800b\"");
        assertThat(Json.write("\uDC00")).isEqualTo("\"\\udc00\"");
    }

    @Test
    void refusesWhatJsonCannotHold() {
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Float.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
