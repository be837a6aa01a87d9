package dev.bp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** {@code --verbose}: say more, and show stack traces with errors. A mixin for any command. */
final class VerboseOption {

    static final String NAME = "--verbose";

    @Option(names = NAME, description = "say more, and print stack traces with errors")
    boolean on;

    /** Whether the command that failed was given --verbose (false for commands without the option). */
    static boolean requested(CommandLine command) {
        OptionSpec option = command.getCommandSpec().findOption(NAME);
        return option != null && Boolean.TRUE.equals(option.getValue());
    }
}
