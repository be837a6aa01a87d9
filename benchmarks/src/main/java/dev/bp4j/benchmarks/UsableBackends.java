package dev.bp4j.benchmarks;

import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;
import dev.bp4j.api.Backends;

import java.util.Optional;

/**
 * Prints the names of the backends that can run here, one per line, and on standard error
 * why the others cannot: the comparison driver benchmarks every backend this prints.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.bp4j.benchmarks.UsableBackends</pre>
 */
public final class UsableBackends {

    private UsableBackends() {
    }

    public static void main(String[] arguments) {
        BackendOptions strict = new BackendOptions(0, null, true);
        for (BackendProvider provider : Backends.providers()) {
            Optional<String> reason = provider.unavailableReason(strict, false);
            if (reason.isEmpty()) {
                System.out.println(provider.name());
            } else {
                System.err.println("not benchmarking " + provider.name() + ": " + reason.get());
            }
        }
    }
}
