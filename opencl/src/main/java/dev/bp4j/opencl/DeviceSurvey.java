package dev.bp4j.opencl;

import dev.bp4j.api.Matrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The lines of {@code bp4j devices}: every platform's devices, each proven by a tiny kernel run. */
final class DeviceSurvey {

    private static final int SANITY_ELEMENTS = 1000;
    private static final float SANITY_VALUE = 0.375f;

    private DeviceSurvey() {
    }

    static List<String> describe(String selector) {
        OpenClPlatforms.Survey survey = OpenClPlatforms.survey();
        if (!survey.usable()) {
            return List.of("opencl: " + survey.problem());
        }
        OpenClDevice chosen = DeviceChoice.choose(survey.devices(), selector).orElse(null);
        List<String> lines = new ArrayList<>();
        for (OpenClDevice device : survey.devices()) {
            String mark = device.equals(chosen) ? " [selected]" : "";
            lines.add("opencl " + device.summary() + mark + "; sanity kernel: " + sanityCheck(device));
        }
        if (chosen == null) {
            lines.add("opencl: " + DeviceChoice.whyNone(survey.devices(), selector));
        } else if (!chosen.gpu()) {
            lines.add("opencl: no GPU, so auto will not take OpenCL; --backend opencl runs on " + chosen.name());
        }
        return lines;
    }

    /** Fills a matrix on the device and reads it back. */
    private static String sanityCheck(OpenClDevice device) {
        long start = System.nanoTime();
        try (OpenClBackend backend = new OpenClBackend(new DeviceContext(device), GemmTileSet.defaultFor(device), "not used")) {
            Matrix m = backend.allocate(1, SANITY_ELEMENTS);
            backend.fill(m, SANITY_VALUE);
            float[] back = new float[SANITY_ELEMENTS];
            backend.download(m, back);
            float[] expected = new float[SANITY_ELEMENTS];
            Arrays.fill(expected, SANITY_VALUE);
            if (!Arrays.equals(expected, back)) {
                return "FAILED (fill of " + SANITY_ELEMENTS + " floats read back wrong values)";
            }
            return String.format(Locale.ROOT, "ok (build, fill and read back in %.0f ms)", (System.nanoTime() - start) / 1e6);
        } catch (RuntimeException e) {
            return "FAILED (" + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()) + ")";
        }
    }
}
