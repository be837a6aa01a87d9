package dev.bp4j.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The text of a file from the top-level kernels/ folder, which the build packages under this package. */
final class KernelSource {

    private static final String RESOURCE_FOLDER = "kernels/";

    private KernelSource() {
    }

    static String read(String file) {
        try (InputStream in = KernelSource.class.getResourceAsStream(RESOURCE_FOLDER + file)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + file + " is missing from the class path (expected "
                        + KernelSource.class.getPackageName().replace('.', '/') + "/" + RESOURCE_FOLDER + file + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("kernel source " + file + ": " + e.getMessage(), e);
        }
    }
}
