package dev.sequor.cli;

import dev.sequor.core.Backends;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the {@code sequor} command. Each subcommand is a {@link Command}; {@code --help}
 * works on the command and on every subcommand. Exit codes: 0 success, 1 failure, 2 bad usage.
 */
public final class Main {

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        register(new BackendsCommand());
        register(new DemoCommand());
        register(new CharLmCli());
        register(new TranslateCommand());
    }

    private Main() {
    }

    private static void register(Command c) {
        COMMANDS.put(c.name(), c);
    }

    public static void main(String[] args) {
        // The chosen backend also becomes the session default, so that any tensor a library creates
        // without naming a backend lands on the same one.
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--backend") && System.getProperty(Backends.PROPERTY) == null) {
                System.setProperty(Backends.PROPERTY, args[i + 1]);
            }
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns the exit code (testable without exiting the JVM). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(out);
            return args.length == 0 ? 2 : 0;
        }
        Command c = COMMANDS.get(args[0]);
        if (c == null) {
            err.println("sequor: unknown command '" + args[0] + "'. Commands: " + String.join(", ", COMMANDS.keySet()));
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            Options opts = Options.parse(rest);
            if (opts.flag("help")) {
                out.println(c.help());
                return 0;
            }
            return c.run(opts, out, err);
        } catch (UsageException e) {
            err.println("sequor " + c.name() + ": " + e.getMessage());
            err.println("Run 'sequor " + c.name() + " --help' for the options.");
            return 2;
        } catch (RuntimeException e) {
            err.println("sequor " + c.name() + ": " + e.getMessage());
            if (System.getenv("SEQUOR_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private static void usage(PrintStream out) {
        out.println("Usage: sequor <command> [options]    (sequor <command> --help for details)");
        out.println();
        for (Command c : COMMANDS.values()) {
            out.printf("  %-10s %s%n", c.name(), c.summary());
        }
        out.println();
        out.println("Backend choice: --backend NAME, or -Dsequor.backend / SEQUOR_BACKEND; default: highest priority available.");
    }
}
