package dev.sequor.core;

import dev.sequor.spi.Availability;
import dev.sequor.spi.Backend;
import dev.sequor.spi.BackendProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Finds compute backends with {@link ServiceLoader} and chooses the session's backend.
 *
 * <p>{@link #get()} returns the backend named by the system property {@code sequor.backend} (or the
 * environment variable {@code SEQUOR_BACKEND}) when set, otherwise the available provider with the
 * highest priority; which one was chosen and why each provider of higher priority was skipped is
 * logged once per JVM through {@link System.Logger} (logger {@code dev.sequor.core.Backends}, at
 * INFO when a provider of higher priority was unavailable or failed to start, else at DEBUG). A named backend that is missing or unavailable is an error listing every
 * provider found and why each is unavailable, never a silent fallback. Backends are created once,
 * lazily, and live for the JVM.
 */
public final class Backends {

    /** System property naming the backend to use. */
    public static final String PROPERTY = "sequor.backend";
    /** Environment variable naming the backend to use when the property is not set. */
    public static final String ENV = "SEQUOR_BACKEND";

    /**
     * One provider found on the module path, with its availability.
     *
     * @param name     provider name
     * @param priority provider priority (higher wins)
     * @param status   whether it is available, and what was found or why not
     */
    public record Info(String name, int priority, Availability status) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-10s priority %3d  %s: %s", name, priority,
                    status.available() ? "available" : "unavailable", status.reason());
        }
    }

    private static final Object LOCK = new Object();
    private static List<BackendProvider> providers;
    private static final Map<String, Backend> CREATED = new HashMap<>();
    private static Backend session;
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    private Backends() {
    }

    /** @return every provider found, highest priority first, with its availability (never throws) */
    public static List<Info> available() {
        List<Info> out = new ArrayList<>();
        for (BackendProvider p : providers()) {
            out.add(new Info(p.name(), p.priority(), safeAvailability(p)));
        }
        return out;
    }

    /**
     * @return the session's backend, created on first use
     * @throws IllegalStateException if the named backend is missing or unavailable, listing all found
     */
    public static Backend get() {
        synchronized (LOCK) {
            if (session == null) {
                String wanted = System.getProperty(PROPERTY);
                if (wanted == null || wanted.isBlank()) {
                    wanted = System.getenv(ENV);
                }
                session = (wanted == null || wanted.isBlank()) ? best() : get(wanted.trim());
            }
            return session;
        }
    }

    /**
     * Returns the one shared instance of the named backend: names are compared ignoring case, and
     * each provider's backend is created at most once per JVM (thread-safe), whether it is reached
     * through this method or through {@link #get()}, so {@code get("CPU-SIMD") == get("cpu-simd")}.
     *
     * @param name a provider name, e.g. {@code "reference"}, {@code "cpu-simd"}, {@code "opencl"}
     * @return that backend, created on first use and shared afterwards
     * @throws IllegalStateException if it is missing or unavailable, listing every provider found
     */
    public static Backend get(String name) {
        synchronized (LOCK) {
            for (BackendProvider p : providers()) {
                if (p.name().equalsIgnoreCase(name.trim())) {
                    Backend b = CREATED.get(p.name());
                    if (b != null) {
                        return b;
                    }
                    Availability a = safeAvailability(p);
                    if (!a.available()) {
                        throw new IllegalStateException("Backend '" + name + "' is unavailable: " + a.reason()
                                + "\nBackends found:\n" + listing());
                    }
                    return create(p);
                }
            }
            throw new IllegalStateException("Unknown backend '" + name + "'. Backends found:\n" + listing()
                    + "\nPut the backend's module on the module path, or choose one of those above.");
        }
    }

    private static Backend best() {
        Choice c = choose(providers(), Backends::create);
        LOG.log(c.loud() ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, c.message());
        return c.backend();
    }

    /**
     * The outcome of automatic selection.
     *
     * @param backend the backend chosen
     * @param message which backend was chosen and why each provider of higher priority was skipped
     * @param loud    whether a provider of higher priority was skipped (then the message is logged at INFO)
     */
    record Choice(Backend backend, String message, boolean loud) {
    }

    /**
     * Tries the providers in descending priority and takes the first that is available and starts.
     *
     * @param found  the providers, any order
     * @param create how a provider's backend is created (shared instances in production)
     * @throws IllegalStateException if none is usable, listing every provider and why
     */
    static Choice choose(List<BackendProvider> found, Function<BackendProvider, Backend> create) {
        List<BackendProvider> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        StringBuilder skipped = new StringBuilder();
        for (BackendProvider p : sorted) {
            Availability a = safeAvailability(p);
            if (!a.available()) {
                skipped.append("\n  skipped ").append(p.name()).append(" (priority ").append(p.priority())
                        .append("): unavailable: ").append(a.reason());
                continue;
            }
            try {
                Backend b = create.apply(p);
                String msg = "Sequor backend: " + p.name() + " (priority " + p.priority() + ", highest available"
                        + (skipped.isEmpty() ? ")" : "; set -D" + PROPERTY + "=NAME to choose one)") + skipped;
                return new Choice(b, msg, !skipped.isEmpty());
            } catch (RuntimeException e) {
                // An available-looking provider that fails to start must not hide the others.
                skipped.append("\n  skipped ").append(p.name()).append(" (priority ").append(p.priority())
                        .append("): failed to start: ").append(e.getMessage());
            }
        }
        StringBuilder all = new StringBuilder();
        for (BackendProvider p : sorted) {
            all.append("  ").append(new Info(p.name(), p.priority(), safeAvailability(p))).append('\n');
        }
        throw new IllegalStateException("No usable Sequor backend. Backends found:\n"
                + (sorted.isEmpty() ? "  (none: no module provides dev.sequor.spi.BackendProvider)\n" : all)
                + skipped.toString().strip());
    }

    private static Backend create(BackendProvider p) {
        Backend b = CREATED.get(p.name());
        if (b == null) {
            b = p.create();
            CREATED.put(p.name(), b);
        }
        return b;
    }

    private static Availability safeAvailability(BackendProvider p) {
        try {
            return p.availability();
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("availability probe failed: " + e);
        }
    }

    private static String listing() {
        List<Info> infos = available();
        if (infos.isEmpty()) {
            return "  (none: no module provides dev.sequor.spi.BackendProvider)";
        }
        StringBuilder sb = new StringBuilder();
        for (Info i : infos) {
            sb.append("  ").append(i).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    private static List<BackendProvider> providers() {
        synchronized (LOCK) {
            if (providers == null) {
                List<BackendProvider> found = new ArrayList<>();
                ServiceLoader<BackendProvider> loader = ServiceLoader.load(BackendProvider.class);
                var it = loader.iterator();
                while (true) {
                    try {
                        if (!it.hasNext()) {
                            break;
                        }
                        found.add(it.next());
                    } catch (ServiceConfigurationError e) {
                        // A broken provider is reported by the others' listing, not fatal to discovery.
                        System.err.println("sequor: skipping a backend provider that failed to load: " + e.getMessage());
                    }
                }
                found.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
                providers = List.copyOf(found);
            }
            return providers;
        }
    }
}
