package dev.bp4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import dev.bp4j.trainer.io.IoFailure;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.Locale;

/**
 * How failures reach the user: one line on stderr, no stack trace unless {@code --verbose};
 * exit code 2 for usage errors (bad options, a network that does not fit the data), 1 for
 * everything else (unreadable or malformed files, an unavailable backend, I/O errors).
 */
final class ErrorReporting implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage() + suggestion(e)
                + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
        if (VerboseOption.requested(command)) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + oneLine(e));
        if (VerboseOption.requested(command)) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.SOFTWARE;
    }

    /** For a mistyped option, the options it resembles: {@code --epoch} gets "did you mean --epochs?". */
    private static String suggestion(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> similar = unmatched.getSuggestions();
            if (!similar.isEmpty()) {
                return "; did you mean " + String.join(" or ", similar.subList(0, Math.min(3, similar.size()))) + "?";
            }
        }
        return "";
    }

    /**
     * A run that needs more memory than the JVM's heap: one line saying how to give it more
     * (the JVM's own error is a stack trace naming no option).
     */
    static int outOfMemory(CommandLine command, OutOfMemoryError e) {
        PrintWriter err = command.getErr();
        err.printf(Locale.ROOT, "%s: out of memory: this run needs more than the JVM's heap of %,d MiB; give it more with "
                        + "BP4J_JAVA_OPTS=-Xmx<size> (e.g. BP4J_JAVA_OPTS=-Xmx16g ./bp4j …, or java -Xmx16g -jar bp4j.jar …), or use "
                        + "narrower --layers or a smaller --batch%n", command.getCommandSpec().qualifiedName(),
                Runtime.getRuntime().maxMemory() >> 20);
        if (VerboseOption.requested(command)) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.SOFTWARE;
    }

    /**
     * The message, in words: the JDK's file exceptions carry only a path ("NoSuchFileException:
     * x.safetensors"), so they get the path and the reason; exceptions that carry no message
     * (a bug) get their class name.
     */
    private static String oneLine(Throwable e) {
        if (e instanceof FileSystemException fs && fs.getFile() != null && fs.getMessage().equals(fs.getFile())) {
            return fs.getFile() + ": " + IoFailure.reason(fs);
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return "internal error: " + e.getClass().getName() + " (run with --verbose for the stack trace)";
        }
        String line = message.strip();
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline);
    }
}
