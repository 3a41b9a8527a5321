package dev.sequor.cli;

import dev.sequor.core.Backends;
import dev.sequor.spi.Backend;

/** The {@code --backend NAME} option shared by the commands that compute. */
final class BackendChoice {

    private BackendChoice() {
    }

    /**
     * @return the named backend, or the session default when {@code name} is null
     * @throws UsageException listing what was found when the name is unknown or unavailable
     */
    static Backend resolve(String name) {
        try {
            return name == null ? Backends.get() : Backends.get(name);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new UsageException("--backend " + name + ": " + e.getMessage());
        }
    }
}
