package dev.sequor.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parsed {@code --name value} / {@code --name=value} / {@code --flag} options and positional
 * arguments. Commands declare what they accept with {@link #allowOnly}, so a typo is an error.
 */
final class Options {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    /** Options given with no value (a flag, or a value forgotten at the end of the line). */
    private final Set<String> bare = new HashSet<>();

    private Options() {
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String body = a.substring(2);
                int eq = body.indexOf('=');
                if (eq >= 0) {
                    o.values.put(body.substring(0, eq), body.substring(eq + 1));
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    o.values.put(body, args[++i]);
                } else {
                    o.values.put(body, "true");
                    o.bare.add(body);
                }
            } else {
                o.positional.add(a);
            }
        }
        return o;
    }

    /** Rejects any option not in {@code allowed} (plus {@code help}). */
    Options allowOnly(Set<String> allowed) {
        for (String k : values.keySet()) {
            if (!k.equals("help") && !allowed.contains(k)) {
                throw new UsageException("unknown option --" + k + (allowed.isEmpty() ? " (this command takes no options)"
                        : " (accepted: --" + String.join(", --", new TreeSet<>(allowed)) + ")"));
            }
        }
        return this;
    }

    boolean flag(String name) {
        return "true".equals(values.get(name));
    }

    String string(String name, String def) {
        requireValue(name);
        return values.getOrDefault(name, def);
    }

    /** A valued option given bare ({@code --steps} last, or before another option) is an error, not "true". */
    private void requireValue(String name) {
        if (bare.contains(name)) {
            throw new UsageException("--" + name + " needs a value (e.g. --" + name + " VALUE or --" + name
                    + "=VALUE), but none was given");
        }
    }

    /** @return whether {@code --name} was given at all (with or without a value) */
    boolean has(String name) {
        return values.containsKey(name);
    }

    int integer(String name, int def) {
        return integer(name, def, Integer.MIN_VALUE);
    }

    /**
     * An integer option of at least {@code min}; a value too large for an {@code int} is reported with the
     * accepted range {@code [min, Integer.MAX_VALUE]}. The caller checks {@code min} itself, with its own reason.
     */
    int integer(String name, int def, int min) {
        requireValue(name);
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            if (v.matches("[+-]?[0-9]+")) {
                throw new UsageException("--" + name + " must be between " + min + " and "
                        + Integer.MAX_VALUE + ", got " + v);
            }
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    /** An integer option that must be at least 1. */
    int positive(String name, int def) {
        int v = integer(name, def, 1);
        if (v <= 0) {
            throw new UsageException("--" + name + " must be positive, got " + v);
        }
        return v;
    }

    double decimal(String name, double def) {
        requireValue(name);
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + v + "'");
        }
    }

    List<String> positional() {
        return positional;
    }
}
