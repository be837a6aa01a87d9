package dev.bp4j.api;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A backend implementation as {@link java.util.ServiceLoader} finds it
 * ({@code META-INF/services/dev.bp4j.api.BackendProvider}).
 */
public interface BackendProvider {

    /** The name users select it by: {@code reference}, {@code cpu}, {@code opencl}. */
    String name();

    /** Preference under {@code auto}: the usable provider with the highest value wins; negative values are never chosen. */
    int autoPriority();

    /**
     * Why this backend cannot be opened here with these options, or empty when it can. Under
     * {@code auto} a provider may be stricter (an OpenCL backend declines CPU-only devices).
     * Must be cheap and must not throw.
     */
    Optional<String> unavailableReason(BackendOptions options, boolean forAuto);

    /**
     * Throws {@link BackendSettingException} for a setting this backend cannot take (a system
     * property it reads, an option), so that {@link Backends#open} fails instead of passing the
     * choice to another backend; a machine that cannot run the backend is
     * {@link #unavailableReason}'s. Must be cheap.
     */
    default void checkSettings(BackendOptions options) {
    }

    /** Opens the backend itself; {@link Backends} wraps it in the checking facade. */
    Backend open(BackendOptions options);

    /** Lines for {@code bp4j devices}: what this backend found on this machine, or why nothing. */
    List<String> describeDevices(BackendOptions options);

    /**
     * Searches this backend's tunable parameters on the device the options select and caches the
     * result for later runs, passing {@code report} each line saying what was measured and chosen
     * as soon as it is known: a search can take minutes, and a run cut short should still show
     * what it measured. Backends with nothing to tune say so.
     */
    default void tune(BackendOptions options, Consumer<String> report) {
        report.accept(name() + ": nothing to tune");
    }
}
