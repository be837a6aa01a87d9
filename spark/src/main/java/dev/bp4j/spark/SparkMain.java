package dev.bp4j.spark;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code spark-submit --class dev.bp4j.spark.SparkMain bp4j-spark.jar train …}: the data-parallel
 * counterpart of {@code bp4j train}. Exit codes as bp4j's: 0 success, 1 failure, 2 usage error;
 * failures are one line on stderr.
 */
@Command(name = "bp4j-spark", mixinStandardHelpOptions = true,
        description = "Data-parallel training of bp4j networks on Apache Spark.",
        subcommands = {SparkTrainCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, as {@link #main} runs it. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new SparkMain());
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            PrintWriter err = command.getErr();
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage().strip();
            int newline = message.indexOf('\n');
            err.println(command.getCommandSpec().qualifiedName() + ": " + (newline < 0 ? message : message.substring(0, newline)));
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
