package dev.bp4j.cli;

import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;
import dev.bp4j.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code bp4j devices}: every backend on the class path, what it found here, and whether auto would take it. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List the backends and the devices each one found.")
final class DevicesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "as for train (default: ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--device", paramLabel = "SEL", description = "as for train")
    private String device;

    @Override
    public Integer call() {
        BackendOptions.threadsProblem(threads).ifPresent(problem -> {
            throw new ParameterException(spec.commandLine(), "--threads: " + problem);
        });
        BackendOptions options = new BackendOptions(threads, device, false);
        PrintWriter out = spec.commandLine().getOut();
        for (BackendProvider provider : Backends.providers()) {
            Optional<String> unavailable = provider.unavailableReason(options, false);
            out.println(provider.name() + (unavailable.map(reason -> " (unavailable: " + reason + ")").orElse("")));
            for (String line : provider.describeDevices(options)) {
                out.println("  " + line);
            }
        }
        out.flush();
        return 0;
    }
}
