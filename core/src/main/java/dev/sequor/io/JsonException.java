package dev.sequor.io;

/**
 * A JSON document that {@link Json#parse} rejects, with the character offset of the fault.
 */
public final class JsonException extends IllegalArgumentException {
    private final int offset;
    private final String duplicateKey;

    /**
     * @param message what is wrong
     * @param offset  the character offset in the document where the fault was found
     */
    public JsonException(String message, int offset) {
        this(message, offset, null);
    }

    JsonException(String message, int offset, String duplicateKey) {
        super(message + " at offset " + offset);
        this.offset = offset;
        this.duplicateKey = duplicateKey;
    }

    /** @return the repeated key when the fault is a duplicate object key, else {@code null} */
    public String duplicateKey() {
        return duplicateKey;
    }

    /** @return the character offset in the document where the fault was found */
    public int offset() {
        return offset;
    }
}
