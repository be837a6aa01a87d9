package dev.bp4j.cli;

import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;
import dev.bp4j.api.BackendSettingException;
import dev.bp4j.api.Backends;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** The options that choose and configure a backend, shared by the commands that run one. */
final class BackendSelection {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = Backends.AUTO,
            description = "auto (the best usable one), reference, cpu or opencl (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "worker threads for CPU backends; 0 = all cores (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--device", paramLabel = "SEL", description = "device index or name substring for backends with several devices")
    String device;

    @Option(names = "--strict", description = "fail instead of falling back when the chosen backend cannot be used")
    boolean strict;

    BackendOptions options() {
        BackendOptions.threadsProblem(threads).ifPresent(problem -> {
            throw new ParameterException(mixee.commandLine(), "--threads: " + problem);
        });
        return new BackendOptions(threads, device, strict);
    }

    /**
     * Opens the backend; the choice, and any fallback, is said once on {@code log}, after a
     * warning when {@code --threads} asks for more threads than the processors this process may use.
     */
    Backend open(PrintWriter log) {
        BackendOptions options = options();
        checkKnown(name);
        int processors = Runtime.getRuntime().availableProcessors();
        if (threads > processors) {
            // Every operation waits for all of its parts, so threads beyond the processors take
            // turns inside each one: 8 threads on 2 cores trained at about a third of the rate of 2
            // (docs/performance.md).
            log.println("warning: --threads " + threads + " is more than the " + processors + " processors this process may use;"
                    + " the threads take turns on them, which is slower than " + processors + " (0 gives one per core)");
        }
        try {
            return Backends.open(name, options, message -> {
                log.println(message);
                log.flush();
            });
        } catch (BackendSettingException badSetting) {
            throw new ParameterException(mixee.commandLine(), badSetting.getMessage());
        }
    }

    /** The provider by name, or a usage error listing the known ones. */
    BackendProvider provider(String providerName) {
        checkKnown(providerName);
        return Backends.providers().stream().filter(p -> p.name().equals(providerName)).findFirst().orElseThrow();
    }

    private void checkKnown(String requested) {
        if (!requested.equals(Backends.AUTO) && !Backends.names().contains(requested)) {
            throw new ParameterException(mixee.commandLine(), "--backend: unknown backend '" + requested
                    + "' (expected auto or one of " + String.join(", ", Backends.names()) + ")");
        }
    }
}
