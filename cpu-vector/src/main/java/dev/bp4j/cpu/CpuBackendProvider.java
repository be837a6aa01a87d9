package dev.bp4j.cpu;

import dev.bp4j.cpu.gemm.GemmBlocking;
import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;
import dev.bp4j.api.BackendSettingException;
import dev.bp4j.api.ProcessorCores;

import java.util.List;
import java.util.Optional;

/**
 * Registers the Vector API backend as {@code cpu}. Under {@code auto} it ranks above the
 * reference backend and below GPU backends. This class touches no Vector API type, so it loads
 * and answers {@link #unavailableReason} even on a JVM started without the incubator module.
 */
public final class CpuBackendProvider implements BackendProvider {

    static final String NAME = "cpu";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int autoPriority() {
        return 50;
    }

    @Override
    public Optional<String> unavailableReason(BackendOptions options, boolean forAuto) {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return Optional.of("the JVM was started without --add-modules " + VECTOR_MODULE);
        }
        return Optional.empty();
    }

    /** The width property and the thread count, bp4j.threads included. */
    @Override
    public void checkSettings(BackendOptions options) {
        WidthProperty.requestedBits();
        options.resolvedThreads();
    }

    @Override
    public Backend open(BackendOptions options) {
        return new CpuBackend(options.resolvedThreads(), GemmBlocking.DEFAULT);
    }

    @Override
    public List<String> describeDevices(BackendOptions options) {
        Optional<String> reason = unavailableReason(options, false);
        if (reason.isPresent()) {
            return List.of(NAME + ": unavailable: " + reason.get());
        }
        try {
            checkSettings(options);
        } catch (BackendSettingException badSetting) {
            return List.of(NAME + ": " + badSetting.getMessage());
        }
        return List.of(NAME + ": " + CpuModel.name() + "; " + count(ProcessorCores.available(), "core") + ", "
                + count(Runtime.getRuntime().availableProcessors(), "hardware thread") + "; "
                + "preferred SIMD width " + VectorWidth.preferredBits() + " bits; species chosen: "
                + VectorWidth.describe() + "; " + count(options.resolvedThreads(), "thread"));
    }

    /** "1 core", "2 cores": a count and its noun. */
    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
