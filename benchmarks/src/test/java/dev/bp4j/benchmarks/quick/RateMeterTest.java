package dev.bp4j.benchmarks.quick;

import org.junit.jupiter.api.Test;

import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateMeterTest {

    @Test
    void measuresCallsPerSecondOfASlowCall() {
        // A call of at least 2 ms can run at most 500 times a second, whatever the machine's load.
        double rate = new RateMeter(0.1).callsPerSecond(() -> LockSupport.parkNanos(2_000_000));
        assertTrue(rate > 10 && rate <= 500, "rate " + rate);
    }

    @Test
    void refusesANonPositiveMeasuringTime() {
        assertThrows(IllegalArgumentException.class, () -> new RateMeter(0));
    }
}
