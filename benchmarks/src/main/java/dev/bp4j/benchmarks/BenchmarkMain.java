package dev.bp4j.benchmarks;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * benchmarks.jar's entry point: JMH's own command line, with every fork started with the flags of
 * the repository's jvm.options (built into the jar), so benchmarks run in the same JVM as
 * {@code ./bp4j} and the tests. Listing and help go to JMH unchanged.
 */
public final class BenchmarkMain {

    private static final String FLAGS = "jvm.options";

    public static void main(String[] args) throws Exception {
        CommandLineOptions command;
        try {
            command = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (command.shouldHelp() || command.shouldList() || command.shouldListWithParams() || command.shouldListProfilers()
                || command.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        try {
            new Runner(new OptionsBuilder().parent(command).jvmArgsPrepend(forkFlags().toArray(String[]::new)).build()).run();
        } catch (RunnerException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The flags of jvm.options: a Java argument file, '#' starting a comment, flags separated by white space. */
    static List<String> forkFlags() {
        List<String> flags = new ArrayList<>();
        try (InputStream in = BenchmarkMain.class.getResourceAsStream(FLAGS)) {
            if (in == null) {
                throw new IllegalStateException(FLAGS + " is missing from the benchmarks jar; rebuild it");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                int comment = line.indexOf('#');
                for (String flag : (comment < 0 ? line : line.substring(0, comment)).trim().split("\\s+")) {
                    if (!flag.isEmpty()) {
                        flags.add(flag);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return flags;
    }

    private BenchmarkMain() {
    }
}
