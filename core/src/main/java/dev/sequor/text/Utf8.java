package dev.sequor.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding that says where the input goes wrong: the JDK's decoder reports only
 * "Input length = 1", which gives a user with a large file nothing to look for.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** Thrown for bytes that are not UTF-8; {@link #offset()} is the first bad byte's position. */
    public static final class MalformedException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final long offset;

        MalformedException(long offset, int length) {
            super("invalid UTF-8 at byte offset " + offset + " (" + length + " byte"
                    + (length == 1 ? "" : "s") + " that start no valid character)");
            this.offset = offset;
        }

        /** @return the offset, from the start of the decoded bytes, of the first byte that is not UTF-8 */
        public long offset() {
            return offset;
        }
    }

    /**
     * Decodes {@code bytes[position, limit)} of the buffer (consuming them), rejecting malformed input.
     *
     * @param base added to the offset in the error, for bytes that sit at {@code base} in a file
     * @throws MalformedException naming the absolute offset ({@code base} + the position in the
     *         buffer's remaining bytes) of the first invalid byte
     */
    public static String decode(ByteBuffer bytes, long base) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = bytes.position();
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8L,
                (long) bytes.remaining() + 1));
        CoderResult r = dec.decode(bytes, out, true);
        if (r.isError()) {
            throw new MalformedException(base + bytes.position() - start, r.length());
        }
        r = dec.flush(out);
        if (r.isError()) {
            throw new MalformedException(base + bytes.position() - start, r.length());
        }
        return out.flip().toString();
    }

    /** {@link #decode(ByteBuffer, long)} of a whole array, offsets from its start. */
    public static String decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes), 0);
    }
}
