package dev.bp4j.cli;

/** A command with a {@code --verbose} option, which also turns on stack traces for errors. */
interface VerboseCommand {
    boolean verbose();
}
