package dev.bp4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float species every vector loop of this module runs on. Held in static finals so
 * that C2 folds the lane count into the loops; chosen once per JVM from
 * {@code bp4j.vector.bits} (see {@link WidthProperty}) or the platform's preferred shape.
 * Public only for the GEMM package; not part of the library's API.
 */
public final class VectorWidth {

    public static final VectorSpecies<Float> FLOATS = choose(WidthProperty.requestedBits());
    /** Integers of the same bit size, for building powers of two from exponent bits. */
    public static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
    public static final int LANES = FLOATS.length();

    private VectorWidth() {
    }

    private static VectorSpecies<Float> choose(int bits) {
        return switch (bits) {
            case 0 -> FloatVector.SPECIES_PREFERRED;
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> throw new IllegalStateException("unsupported width " + bits);
        };
    }

    /** The width the hardware prefers, whatever was forced. */
    static int preferredBits() {
        return VectorShape.preferredShape().vectorBitSize();
    }

    static String describe() {
        boolean forced = WidthProperty.requestedBits() != 0;
        return FLOATS.vectorBitSize() + "-bit vectors (" + LANES + " floats"
                + (forced ? ", forced by " + WidthProperty.NAME + "; preferred " + preferredBits() + "-bit" : ", preferred")
                + ")";
    }
}
