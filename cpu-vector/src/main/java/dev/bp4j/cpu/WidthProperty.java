package dev.bp4j.cpu;

import dev.bp4j.api.BackendSettingException;

/**
 * Reads the system property {@code bp4j.vector.bits}, which forces the SIMD width of every
 * vector loop (128, 256 or 512 bits; unset means the platform's preferred width). Kept apart
 * from {@link VectorWidth} so the provider can validate it without loading the Vector API.
 */
final class WidthProperty {

    static final String NAME = "bp4j.vector.bits";

    private WidthProperty() {
    }

    /** The forced width in bits, or 0 for the preferred width; a value it cannot take throws. */
    static int requestedBits() {
        String value = System.getProperty(NAME);
        if (value == null || value.isBlank()) {
            return 0;
        }
        return switch (value.trim()) {
            case "128" -> 128;
            case "256" -> 256;
            case "512" -> 512;
            default -> throw new BackendSettingException(
                    "system property " + NAME + ": expected 128, 256 or 512, got '" + value + "'");
        };
    }
}
