package dev.bp4j.cpu;

import dev.bp4j.cpu.gemm.GemmBlocking;
import dev.bp4j.api.Activation;
import dev.bp4j.api.Matrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm-up runs every kernel of its step at the vector width under test (the contract
 * executions rerun this class at 128, 256 and 512 bits), frees what it allocated, and gives
 * way as soon as a caller's backend starts a product, but not for its own products.
 */
class JitWarmUpTest {

    @Test
    void trainsAllItsStepsOnItsOwnBackendAndFreesEverything() {
        JitWarmUp.rearmForTest();
        try (CpuBackend own = new CpuBackend(2, GemmBlocking.DEFAULT, false)) {
            for (JitWarmUp.Phase phase : new JitWarmUp.Phase[] {JitWarmUp.SMALL, JitWarmUp.LAYER_SIZED}) {
                assertEquals(3, JitWarmUp.train(own, new JitWarmUp.Phase(phase.widths(), phase.batch(), 3)));
            }
            assertEquals(0, own.stats().liveBuffers());
            assertFalse(JitWarmUp.yielded(), "the warm-up's own products ended it");
        }
    }

    @Test
    void aCallersProductEndsIt() {
        JitWarmUp.rearmForTest();
        try (CpuBackend caller = new CpuBackend(1, GemmBlocking.DEFAULT);
             Matrix x = caller.allocate(3, 4);
             Matrix w = caller.allocate(2, 4);
             Matrix bias = caller.allocate(1, 2);
             Matrix out = caller.allocate(3, 2)) {
            caller.denseForward(x, w, bias, Activation.SIGMOID, out);
            assertTrue(JitWarmUp.yielded());
            try (CpuBackend own = new CpuBackend(1, GemmBlocking.DEFAULT, false)) {
                assertEquals(0, JitWarmUp.train(own, JitWarmUp.SMALL));
                assertEquals(0, own.stats().liveBuffers());
            }
        }
    }
}
