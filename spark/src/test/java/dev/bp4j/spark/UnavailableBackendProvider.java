package dev.bp4j.spark;

import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;

import java.util.List;
import java.util.Optional;

/** A backend that no executor can open, as an OpenCL backend on a host without a GPU. */
public final class UnavailableBackendProvider implements BackendProvider {

    static final String NAME = "unavailable";
    static final String REASON = "no device of this kind on this host";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int autoPriority() {
        return -1;
    }

    @Override
    public Optional<String> unavailableReason(BackendOptions options, boolean forAuto) {
        return Optional.of(REASON);
    }

    @Override
    public Backend open(BackendOptions options) {
        throw new IllegalStateException(REASON);
    }

    @Override
    public List<String> describeDevices(BackendOptions options) {
        return List.of(REASON);
    }
}
