package dev.sequor.io;

import java.util.List;

/**
 * A JSON document that {@link Json#parse} rejects, with the character offset of the fault.
 */
public final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The character offset of the fault. */
    private final int offset;
    /** The repeated key, or {@code null}. */
    private final String duplicateKey;
    /** The keys of the objects enclosing the repeated key, outermost first. */
    private final List<String> duplicatePath;

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     * @param offset  the character offset in the document where the fault was found
     */
    public JsonException(String message, int offset) {
        this(message, offset, null, List.of());
    }

    JsonException(String message, int offset, String duplicateKey, List<String> duplicatePath) {
        super(message + " at offset " + offset);
        this.offset = offset;
        this.duplicateKey = duplicateKey;
        this.duplicatePath = duplicatePath;
    }

    /**
     * {@return for a duplicate key, the keys of the objects that enclose it, outermost first: empty when the
     * repeated key is in the top-level object}
     */
    public List<String> duplicatePath() {
        return duplicatePath;
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
