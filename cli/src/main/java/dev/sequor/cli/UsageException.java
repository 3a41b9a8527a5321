package dev.sequor.cli;

/** Bad command-line usage: an unknown option, a missing value, a value of the wrong type. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
