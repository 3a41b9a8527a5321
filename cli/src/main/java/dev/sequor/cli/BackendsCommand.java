package dev.sequor.cli;

import dev.sequor.core.Backends;

import java.io.PrintStream;
import java.util.Set;

/** {@code sequor backends}: every provider found, its priority, availability and reason. */
final class BackendsCommand implements Command {

    @Override
    public String name() {
        return "backends";
    }

    @Override
    public String summary() {
        return "list compute backends found on the module path, and why any is unavailable";
    }

    @Override
    public String help() {
        return """
                Usage: sequor backends

                Lists every backend provider on the module path with its priority, whether it is
                available here, and what it found (device, vector lanes, threads) or why not.
                The default backend is the available one with the highest priority, unless
                -Dsequor.backend=NAME or SEQUOR_BACKEND=NAME names one.""";
    }

    @Override
    public int run(Options options, PrintStream out, PrintStream err) {
        options.allowOnly(Set.of());
        var infos = Backends.available();
        if (infos.isEmpty()) {
            out.println("No backend providers found on the module path.");
            return 1;
        }
        for (Backends.Info i : infos) {
            out.println(i);
        }
        String chosen;
        try {
            chosen = Backends.get().description();
        } catch (IllegalStateException e) {
            chosen = "none (" + e.getMessage().lines().findFirst().orElse("") + ")";
        }
        out.println();
        out.println("Default backend: " + chosen);
        return 0;
    }
}
