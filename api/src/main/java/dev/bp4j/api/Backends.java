package dev.bp4j.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Finds backends with {@link ServiceLoader} and opens them by name, always behind the checking
 * facade. {@code auto} takes the usable backend with the highest priority and says once, through
 * the given log, which one it chose and why the better ones were passed over.
 */
public final class Backends {

    public static final String AUTO = "auto";
    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    private Backends() {
    }

    /** Every provider on the class path, preferred first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(found::add);
        found.sort(Comparator.comparingInt(BackendProvider::autoPriority).reversed()
                .thenComparing(BackendProvider::name));
        return found;
    }

    public static List<String> names() {
        return providers().stream().map(BackendProvider::name).toList();
    }

    /**
     * Opens the named backend (or {@code auto}) with the default options. Where a named backend
     * cannot be used here and another takes its place, a warning says so through
     * {@link System.Logger} (logger {@code dev.bp4j.api.Backends}): the caller asked for that
     * backend, and the one that replaces it may be far slower (the reference backend, where a
     * JVM was started without the Vector API module, instead of cpu). Which backend {@code auto}
     * took is logged at DEBUG. For a failure instead, or messages of your own, pass options and a
     * log to {@link #open(String, BackendOptions, Consumer)}.
     */
    public static Backend open(String name) {
        System.Logger.Level level = AUTO.equals(name) ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING;
        return open(name, BackendOptions.DEFAULT, message -> LOG.log(level, message));
    }

    /**
     * Opens the named backend (or {@code auto}). A named backend that cannot be used here is
     * replaced by the {@code auto} choice, said through {@code log}, unless the options are
     * strict, in which case this throws {@link BackendUnavailableException}. A backend's setting
     * that it cannot take (a malformed {@code bp4j.threads}) throws
     * {@link BackendSettingException}, strict or not, for the named backend and for each that
     * {@code auto} considers: a typo should not send a run to a slower backend.
     */
    public static Backend open(String name, BackendOptions options, Consumer<String> log) {
        if (AUTO.equals(name)) {
            return openAuto(options, log, "", null);
        }
        BackendProvider provider = providers().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown backend '" + name + "' (expected auto or one of " + String.join(", ", names()) + ")"));
        provider.checkSettings(options);
        Optional<String> reason = provider.unavailableReason(options, false);
        if (reason.isEmpty()) {
            return new CheckedBackend(provider.open(options));
        }
        if (options.strict()) {
            throw new BackendUnavailableException("backend " + name + " unavailable: " + reason.get());
        }
        return openAuto(options, log, "backend " + name + " unavailable (" + reason.get() + "); ", name);
    }

    /** {@code explained} names the backend the prefix already gave the reason for, so it is not given twice. */
    private static Backend openAuto(BackendOptions options, Consumer<String> log, String prefix, String explained) {
        StringBuilder passedOver = new StringBuilder();
        for (BackendProvider provider : providers()) {
            if (provider.autoPriority() < 0 || provider.name().equals(explained)) {
                continue;
            }
            provider.checkSettings(options);
            Optional<String> reason = provider.unavailableReason(options, true);
            if (reason.isPresent()) {
                passedOver.append("; not ").append(provider.name()).append(": ").append(reason.get());
                continue;
            }
            Backend backend = new CheckedBackend(provider.open(options));
            log.accept(prefix + "using backend " + backend.name() + " (" + backend.deviceDescription() + ")" + passedOver);
            return backend;
        }
        throw new BackendUnavailableException(prefix + "no usable backend" + passedOver);
    }
}
