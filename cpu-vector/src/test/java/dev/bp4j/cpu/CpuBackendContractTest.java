package dev.bp4j.cpu;

import dev.bp4j.api.contract.BackendContractTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract suite on the cpu backend. The module's build runs it once per forced vector
 * width (bp4j.vector.bits = 128, 256, 512), so tails and the micro-kernel's panel widths are
 * exercised at 4, 8 and 16 lanes.
 */
class CpuBackendContractTest extends BackendContractTest {
    @Override
    protected String backendName() {
        return "cpu";
    }

    @Test
    void runsAtTheForcedWidth() {
        int forced = WidthProperty.requestedBits();
        int expected = forced == 0 ? VectorWidth.preferredBits() : forced;
        assertEquals(expected, VectorWidth.FLOATS.vectorBitSize(), "the species the kernels run on");
        assertTrue(backend.deviceDescription().contains(expected + "-bit vectors"), backend.deviceDescription());
    }
}
