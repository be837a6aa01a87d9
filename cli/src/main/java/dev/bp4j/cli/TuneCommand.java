package dev.bp4j.cli;

import dev.bp4j.api.BackendProvider;
import dev.bp4j.api.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bp4j tune}: lets a backend search its tunable parameters on the selected device and
 * cache them for later runs. With {@code --backend auto}, every backend is asked in turn.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Tune a backend's kernel parameters for this device and cache the result.")
final class TuneCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private BackendSelection backendSelection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<BackendProvider> providers = backendSelection.name.equals(Backends.AUTO)
                ? Backends.providers()
                : List.of(backendSelection.provider(backendSelection.name));
        for (BackendProvider provider : providers) {
            // Line by line: a GPU search takes minutes.
            provider.tune(backendSelection.options(), line -> {
                out.println(line);
                out.flush();
            });
        }
        return 0;
    }
}
