package dev.sequor.spi;

import java.util.Objects;

/**
 * Whether a {@link BackendProvider} can create its backend on this machine, and why not.
 *
 * @param available true when {@link BackendProvider#create()} is expected to succeed
 * @param reason    a sentence for the user: what was found (device, lanes) or what is missing
 */
public record Availability(boolean available, String reason) {

    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    /** @return an available result with a short description of what was found */
    public static Availability yes(String description) {
        return new Availability(true, description);
    }

    /** @return an unavailable result carrying the reason shown to the user */
    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
