package dev.bp4j.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyPartRunsOnceOnAValidWorkerAcrossManyCalls() {
        everyPartRunsOnce(3, 20_000, 7);
        // Pinned jobs of more than 16 parts and first-come jobs of more parts than threads, mixed.
        everyPartRunsOnce(20, 2_000, 25);
    }

    /** {@code calls} jobs of 1 to {@code mostParts} parts in a row on a pool of {@code threads}. */
    private static void everyPartRunsOnce(int threads, int calls, int mostParts) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            // Many short calls in a row: a lost wake-up between calls would hang here.
            for (int call = 0; call < calls; call++) {
                int parts = 1 + call % mostParts;
                AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                pool.run(parts, (part, worker) -> {
                    assertTrue(worker >= 0 && worker < threads, "worker index " + worker);
                    runs.incrementAndGet(part);
                });
                for (int part = 0; part < parts; part++) {
                    assertEquals(1, runs.get(part), "call " + call + ", part " + part);
                }
            }
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aJobOfAtMostOnePartPerThreadRunsEachPartOnItsOwnThreadOrTheCaller() {
        partsRunOnTheirOwnThreads(3, 5_000, 1);
        // Past the 16 parts one word's mask could pin.
        partsRunOnTheirOwnThreads(20, 500, 17);
    }

    /** At least {@code calls} jobs of {@code fewest} to {@code threads} parts on a pool of {@code threads}. */
    private static void partsRunOnTheirOwnThreads(int threads, int calls, int fewest) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            Thread caller = Thread.currentThread();
            Thread[] threadOfWorker = new Thread[threads];
            int onOwnThread = 0;
            // At least that many calls, and more until a worker has taken its own part: on a
            // loaded machine the workers may not be scheduled at all during the first few thousand.
            long deadline = System.nanoTime() + 30_000_000_000L;
            for (int call = 0; call < calls || onOwnThread == 0 && System.nanoTime() < deadline; call++) {
                int parts = fewest + call % (threads - fewest + 1);
                AtomicIntegerArray wrong = new AtomicIntegerArray(parts);
                AtomicIntegerArray own = new AtomicIntegerArray(parts);
                pool.run(parts, (part, worker) -> {
                    Thread current = Thread.currentThread();
                    // The caller is worker 0 and may take a part its worker has not started;
                    // any other thread runs only its own part, always the same thread for it.
                    boolean callerRanIt = current == caller && worker == 0;
                    boolean ownThreadRanIt = current != caller && worker == part;
                    if (part == 0 && !callerRanIt || !callerRanIt && !ownThreadRanIt) {
                        wrong.incrementAndGet(part);
                    }
                    if (ownThreadRanIt) {
                        synchronized (threadOfWorker) {
                            if (threadOfWorker[worker] == null) {
                                threadOfWorker[worker] = current;
                            } else if (threadOfWorker[worker] != current) {
                                wrong.incrementAndGet(part);
                            }
                        }
                        own.incrementAndGet(part);
                    }
                });
                assertEquals(new AtomicIntegerArray(parts).toString(), wrong.toString(), "call " + call);
                for (int part = 1; part < parts; part++) {
                    onOwnThread += own.get(part);
                }
            }
            // Workers spin between calls this close together, so they take their own parts.
            assertTrue(onOwnThread > 0, "no part ran on its own worker thread");
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
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void partsOfAJobTogetherSeeEachOthersWritesAfterEveryBarrier() {
        partsSeeEachOthersWrites(4, 2_000, 2);
        // More than 16 parts, oversubscribed here.
        partsSeeEachOthersWrites(20, 100, 17);
    }

    /** {@code calls} jobs of {@code fewest} to {@code fewest + 2} parts on a pool of {@code threads}. */
    private static void partsSeeEachOthersWrites(int threads, int calls, int fewest) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int call = 0; call < calls; call++) {
                int parts = fewest + call % 3;
                int rounds = 1 + call % 5;
                // Round r: every part writes its slot, then reads all the others' after the barrier.
                int[] slots = new int[parts];
                AtomicIntegerArray stale = new AtomicIntegerArray(parts);
                pool.runTogether(parts, (part, worker) -> {
                    for (int round = 1; round <= rounds; round++) {
                        slots[part] = round;
                        pool.barrier();
                        for (int other = 0; other < parts; other++) {
                            if (slots[other] < round) {
                                stale.incrementAndGet(part);
                            }
                        }
                        // No part may write the next round before every part has read this one.
                        pool.barrier();
                    }
                });
                assertEquals(new AtomicIntegerArray(parts).toString(), stale.toString(), "call " + call);
            }
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aPartFailingBeforeABarrierReleasesThePartsWaitingThere() {
        try (WorkerPool pool = new WorkerPool(3)) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.runTogether(3, (part, worker) -> {
                if (part == 2) {
                    throw new ArithmeticException("part two");
                }
                pool.barrier();
            }));
            assertTrue(thrown.getCause() instanceof ArithmeticException, String.valueOf(thrown.getCause()));
            AtomicIntegerArray runs = new AtomicIntegerArray(3);
            pool.runTogether(3, (part, worker) -> {
                pool.barrier();
                runs.incrementAndGet(part);
            });
            assertEquals("[1, 1, 1]", runs.toString());
            assertThrows(IllegalArgumentException.class, () -> pool.runTogether(4, (part, worker) -> { }));
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void idleWorkersParkAfterTheirSpin() throws InterruptedException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (WorkerPool pool = new WorkerPool(3)) {
            List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !before.contains(thread) && thread.getName().startsWith("bp4j-cpu-"))
                    .toList();
            assertEquals(2, workers.size(), "the pool's workers: " + workers);
            pool.run(3, (part, worker) -> { });
            // A pool nobody calls must not keep spinning: within a few spins' time both workers wait in park.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (workers.stream().anyMatch(thread -> thread.getState() != Thread.State.WAITING) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            for (Thread worker : workers) {
                assertEquals(Thread.State.WAITING, worker.getState(), worker.getName());
            }
        }
    }

    @Test
    void rejectsAnEmptyPool() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
    }
}
