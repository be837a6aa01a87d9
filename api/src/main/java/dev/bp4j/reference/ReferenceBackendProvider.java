package dev.bp4j.reference;

import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;

import java.util.List;
import java.util.Optional;

/** Registers the reference backend; {@code auto} takes it only when nothing faster is usable. */
public final class ReferenceBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int autoPriority() {
        return 0;
    }

    @Override
    public Optional<String> unavailableReason(BackendOptions options, boolean forAuto) {
        return Optional.empty();
    }

    @Override
    public Backend open(BackendOptions options) {
        return new ReferenceBackend();
    }

    @Override
    public List<String> describeDevices(BackendOptions options) {
        return List.of("reference: always available (scalar Java, float64 accumulation, 1 thread; the test oracle, not for speed)");
    }
}
