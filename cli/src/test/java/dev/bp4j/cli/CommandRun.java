package dev.bp4j.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One {@code bp4j} command run in this JVM through picocli's execute, as {@link Main#main} runs it, or the command of a child JVM. */
record CommandRun(int exit, String out, String err) {

    static CommandRun of(String... args) {
        CommandLine commandLine = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }

    static CommandRun of(List<String> args) {
        return of(args.toArray(String[]::new));
    }

    /**
     * {@code java [jvmFlags] -cp <the test class path> mainClass args…}, with the module and
     * native-access flags the build gave this JVM.
     */
    static List<String> childJvm(List<String> jvmFlags, Class<?> mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> flag.startsWith("--add-modules") || flag.startsWith("--enable-native-access")).toList());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        return command;
    }
}
