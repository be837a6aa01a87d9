package dev.bp4j.opencl;

import dev.bp4j.api.Backend;
import dev.bp4j.api.BackendOptions;
import dev.bp4j.api.BackendProvider;
import dev.bp4j.api.BackendUnavailableException;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Registers the OpenCL backend. {@code auto} prefers it over the CPU backends, but only on a
 * GPU: an OpenCL CPU device (PoCL) is slower than the native CPU backend, so it is used only
 * when asked for by name.
 */
public final class OpenClBackendProvider implements BackendProvider {

    static final String NAME = "opencl";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int autoPriority() {
        return 100;
    }

    @Override
    public Optional<String> unavailableReason(BackendOptions options, boolean forAuto) {
        OpenClPlatforms.Survey survey = OpenClPlatforms.survey();
        if (!survey.usable()) {
            return Optional.of(survey.problem());
        }
        Optional<OpenClDevice> device = DeviceChoice.choose(survey.devices(), options.device());
        if (device.isEmpty()) {
            return Optional.of(DeviceChoice.whyNone(survey.devices(), options.device()));
        }
        if (forAuto && !device.get().gpu()) {
            return Optional.of("no OpenCL GPU (" + device.get().name() + " is a " + device.get().type()
                    + " device, which auto does not take; --backend opencl uses it)");
        }
        return Optional.empty();
    }

    @Override
    public Backend open(BackendOptions options) {
        OpenClDevice device = chooseOrThrow(options);
        String tuning;
        GemmTileSet tiles;
        try {
            Optional<GemmTileSet> tuned = TuningCache.load(device);
            tiles = tuned.orElseGet(() -> GemmTileSet.defaultFor(device));
            tuning = tuned.isPresent() ? "tuned, " + TuningCache.file() : "default; bp4j tune may find faster ones";
        } catch (RuntimeException e) {
            // A damaged cache costs speed, not the run.
            tiles = GemmTileSet.defaultFor(device);
            tuning = "default; ignored the tuning cache: " + e.getMessage();
        }
        return new OpenClBackend(new DeviceContext(device), tiles, tuning);
    }

    @Override
    public List<String> describeDevices(BackendOptions options) {
        return DeviceSurvey.describe(options.device());
    }

    @Override
    public void tune(BackendOptions options, Consumer<String> report) {
        OpenClDevice device = chooseOrThrow(options);
        try (DeviceContext context = new DeviceContext(device); ProgramCache programs = new ProgramCache(context)) {
            new GemmTuner(context, new GemmKernels(context, programs, GemmTileSet.defaultFor(device))).tune(report);
        }
    }

    private static OpenClDevice chooseOrThrow(BackendOptions options) {
        OpenClPlatforms.Survey survey = OpenClPlatforms.survey();
        if (!survey.usable()) {
            throw new BackendUnavailableException("backend opencl unavailable: " + survey.problem());
        }
        return DeviceChoice.choose(survey.devices(), options.device())
                .orElseThrow(() -> new IllegalArgumentException(DeviceChoice.whyNone(survey.devices(), options.device())));
    }
}
