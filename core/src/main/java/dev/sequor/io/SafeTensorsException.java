package dev.sequor.io;

import java.io.IOException;

/**
 * A safetensors file that cannot be read: corrupt, truncated, or using a feature Sequor does not
 * load. The message names the file, the tensor (when one is at fault) and the fault; the parts are
 * also available separately.
 *
 * <p>It is an {@link IOException} so that one {@code catch} handles both a missing file and a bad one.
 */
public final class SafeTensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The file or other source being read. */
    private final String file;
    /** The tensor at fault, or {@code null}. */
    private final String tensor;
    /** The fault without file and tensor. */
    private final String fault;

    /**
     * Creates the exception for a fault with no underlying cause.
     *
     * @param file   the file (or other source) being read
     * @param tensor the tensor at fault, or {@code null} when the fault is not in one tensor
     * @param fault  what is wrong, as a sentence fragment
     */
    public SafeTensorsException(String file, String tensor, String fault) {
        this(file, tensor, fault, null);
    }

    /**
     * Creates the exception with the exception that revealed the fault.
     *
     * @param file   the file (or other source) being read
     * @param tensor the tensor at fault, or {@code null} when the fault is not in one tensor
     * @param fault  what is wrong, as a sentence fragment
     * @param cause  the underlying exception, or {@code null}
     */
    public SafeTensorsException(String file, String tensor, String fault, Throwable cause) {
        super(file + ": " + (tensor == null ? "" : "tensor " + Json.quote(tensor) + ": ") + fault, cause);
        this.file = file;
        this.tensor = tensor;
        this.fault = fault;
    }

    /** {@return the file (or other source) being read} */
    public String file() {
        return file;
    }

    /** {@return the tensor at fault, or {@code null} when the fault is not in one tensor} */
    public String tensor() {
        return tensor;
    }

    /** {@return what is wrong, without the file and tensor names} */
    public String fault() {
        return fault;
    }
}
