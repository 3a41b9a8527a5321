package dev.sequor.text;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Utf8Test {

    @Test
    void decodesMixedScriptsExactly() {
        String s = "naïve Ünïcödé, 日本語, ελληνικά, emoji \uD83D\uDE00";
        assertThat(Utf8.decode(s.getBytes(StandardCharsets.UTF_8))).isEqualTo(s);
        assertThat(Utf8.decode(new byte[0])).isEmpty();
    }

    @Test
    void namesTheOffsetOfTheFirstInvalidByte() {
        byte[] ok = "abc日".getBytes(StandardCharsets.UTF_8);   // 6 bytes
        byte[] bad = new byte[ok.length + 3];
        System.arraycopy(ok, 0, bad, 0, ok.length);
        bad[6] = (byte) 0xE3;   // a 3-byte lead followed by ASCII
        bad[7] = 'x';
        bad[8] = 'y';
        assertThatThrownBy(() -> Utf8.decode(bad)).isInstanceOf(Utf8.MalformedException.class)
                .hasMessageStartingWith("invalid UTF-8 at byte offset 6")
                .satisfies(e -> assertThat(((Utf8.MalformedException) e).offset()).isEqualTo(6));
        assertThatThrownBy(() -> Utf8.decode(ByteBuffer.wrap(bad), 100))
                .hasMessageStartingWith("invalid UTF-8 at byte offset 106");
        byte[] truncated = {'a', (byte) 0xE6, (byte) 0x97};   // input ends inside a character
        assertThatThrownBy(() -> Utf8.decode(truncated)).hasMessageStartingWith("invalid UTF-8 at byte offset 1");
    }
}
