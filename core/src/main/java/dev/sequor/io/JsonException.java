package dev.sequor.io;

/**
 * A JSON document that {@link Json#parse} rejects, with the character offset of the fault.
 */
public final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The character offset of the fault. */
    private final int offset;
    /** The repeated key, or {@code null}. */
    private final String duplicateKey;

    /**
     * Creates the exception.
     *
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

    /** {@return the repeated key when the fault is a duplicate object key, else {@code null}} */
    public String duplicateKey() {
        return duplicateKey;
    }

    /** {@return the character offset in the document where the fault was found} */
    public int offset() {
        return offset;
    }
}
