package dev.bp4j.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {

    @Test
    @Timeout(60)
    void everyPartRunsOnceOnAValidWorkerAcrossManyCalls() {
        try (WorkerPool pool = new WorkerPool(3)) {
            // Many short calls in a row: a lost wake-up between calls would hang here.
            for (int call = 0; call < 20_000; call++) {
                int parts = 1 + call % 7;
                AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                pool.run(parts, (part, worker) -> {
                    assertTrue(worker >= 0 && worker < 3, "worker index " + worker);
                    runs.incrementAndGet(part);
                });
                for (int part = 0; part < parts; part++) {
                    assertEquals(1, runs.get(part), "call " + call + ", part " + part);
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void aJobOfAtMostOnePartPerThreadRunsPartIOnThreadIEveryTime() {
        try (WorkerPool pool = new WorkerPool(3)) {
            Thread caller = Thread.currentThread();
            Thread[] ranPartOne = new Thread[1];
            for (int call = 0; call < 5_000; call++) {
                int parts = 1 + call % 3;
                AtomicIntegerArray wrongWorker = new AtomicIntegerArray(parts);
                pool.run(parts, (part, worker) -> {
                    if (worker != part || (part == 0) != (Thread.currentThread() == caller)) {
                        wrongWorker.incrementAndGet(part);
                    }
                    if (part == 1) {
                        if (ranPartOne[0] == null) {
                            ranPartOne[0] = Thread.currentThread();
                        } else if (ranPartOne[0] != Thread.currentThread()) {
                            wrongWorker.incrementAndGet(part);
                        }
                    }
                });
                assertEquals(new AtomicIntegerArray(parts).toString(), wrongWorker.toString(), "call " + call);
            }
        }
    }

    @Test
    void rangesCoverEveryIndexOnceOnLineBoundaries() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int length : new int[] {1, 15, 1000, 100_003}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(length);
                pool.runRange(length, 100, (from, to, worker) -> {
                    assertTrue(from == 0 || from % 16 == 0, "range starts at " + from);
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < length; i++) {
                    assertEquals(1, seen.get(i), "length " + length + ", index " + i);
                }
            }
        }
    }

    @Test
    void aFailingPartIsRethrownOnTheCallerAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.run(4, (part, worker) -> {
                if (part == 3) {
                    throw new ArithmeticException("part three");
                }
            }));
            assertTrue(thrown.getCause() instanceof ArithmeticException, String.valueOf(thrown.getCause()));
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            pool.run(4, (part, worker) -> runs.incrementAndGet(part));
            assertEquals("[1, 1, 1, 1]", runs.toString());
        }
    }

    @Test
    void rejectsAnEmptyPool() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
    }
}
