package dev.bp4j.cli;

import dev.bp4j.trainer.BuildInfo;
import dev.bp4j.trainer.data.DataSources;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code bp4j} command line. Each subcommand is one class; adding a command means adding
 * it to {@code subcommands} below. Exit codes: 0 success, 1 failure, 2 usage error.
 */
@Command(name = "bp4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Batch training of multi-layer perceptrons by backpropagation on CPUs and GPUs.",
        subcommands = {
                TrainCommand.class,
                EvalCommand.class,
                PredictCommand.class,
                DevicesCommand.class,
                TuneCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, as {@link #main} runs it; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        return commandLine(TrainHooks.NONE);
    }

    /** The command line with {@code hooks} attached to {@code train}: the crash tests' seam. */
    public static CommandLine commandLine(TrainHooks hooks) {
        CommandLine commandLine = new CommandLine(new Main());
        ((TrainCommand) commandLine.getSubcommands().get("train").getCommand()).attach(hooks);
        ErrorReporting errors = new ErrorReporting();
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (OutOfMemoryError e) {
                List<CommandLine> chosen = parseResult.asCommandLineList();
                return ErrorReporting.outOfMemory(chosen.getLast(), e);
            }
        });
        // The data sources are described where they are implemented; train's help lists them.
        CommandLine.Model.UsageMessageSpec trainHelp = commandLine.getSubcommands().get("train").getCommandSpec().usageMessage();
        trainHelp.footer(concat(trainHelp.footer(), "%n" + DataSources.describeSources().replace("%", "%%")));
        trainHelp.width(120); // the source table is laid out for 120 columns
        return commandLine;
    }

    private static String[] concat(String[] lines, String more) {
        String[] all = Arrays.copyOf(lines, lines.length + 1);
        all[lines.length] = more;
        return all;
    }

    /** Without a subcommand, bp4j says what it can do. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bp4j " + BuildInfo.version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
