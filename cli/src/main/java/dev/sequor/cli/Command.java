package dev.sequor.cli;

import java.io.PrintStream;

/** One {@code sequor} subcommand. */
interface Command {

    /** @return the word that selects it, e.g. {@code "demo"} */
    String name();

    /** @return one line for the command list */
    String summary();

    /** @return the full help text with every option */
    String help();

    /**
     * Runs the command.
     *
     * @return the exit code
     * @throws UsageException for bad options (exit code 2)
     */
    int run(Options options, PrintStream out, PrintStream err);
}
