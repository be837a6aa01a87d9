package dev.bp4j.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The backend's long-lived threads: the calling thread plus {@code threads − 1} daemon workers.
 * {@link #run} splits one operation into parts that the caller and the workers take in turn
 * and returns when all are done. Workers spin briefly before parking because a training step
 * issues dozens of operations a millisecond apart, and a park/unpark round trip per operation
 * would cost more than a small operation itself.
 */
final class WorkerPool implements AutoCloseable {

    /** One part of an operation; {@code worker} is in [0, threads) and selects per-thread scratch space. */
    @FunctionalInterface
    interface Part {
        void run(int part, int worker);
    }

    /** A contiguous range [from, to) of a one-dimensional operation. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    private static final long SPIN_NANOS = 50_000;
    /** Range boundaries fall on multiples of this many elements: whole 64-byte lines of floats. */
    private static final int ALIGNMENT = 16;

    private final int threads;
    private final Thread[] workers;
    private volatile Job current;
    private volatile boolean closed;

    WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a worker pool needs at least one thread, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int worker = i + 1;
            Thread thread = new Thread(() -> serve(worker), "bp4j-cpu-" + worker);
            thread.setDaemon(true);
            workers[i] = thread;
            thread.start();
        }
    }

    int threads() {
        return threads;
    }

    /** Runs parts 0..parts−1, on this thread and the workers, and rethrows the first failure. */
    void run(int parts, Part body) {
        if (parts <= 0) {
            return;
        }
        if (parts == 1 || threads == 1) {
            for (int part = 0; part < parts; part++) {
                body.run(part, 0);
            }
            return;
        }
        Job job = new Job(body, parts, Thread.currentThread());
        current = job;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        job.work(0);
        job.awaitCompletion();
        if (job.failure != null) {
            throw new IllegalStateException("a worker thread failed: " + job.failure, job.failure);
        }
    }

    /**
     * Runs {@code body} over [0, length) in at most one range per thread, each at least
     * {@code grain} long, so small operations stay on the calling thread.
     */
    void runRange(int length, int grain, Range body) {
        int parts = (int) Math.min(threads, Math.max(1, (long) length / Math.max(1, grain)));
        if (parts == 1) {
            body.run(0, length);
            return;
        }
        run(parts, (part, worker) -> {
            int from = boundary(part, parts, length);
            int to = boundary(part + 1, parts, length);
            if (from < to) {
                body.run(from, to);
            }
        });
    }

    private static int boundary(int part, int parts, int length) {
        if (part == parts) {
            return length;
        }
        long even = (long) length * part / parts;
        return (int) Math.min(length, even - even % ALIGNMENT);
    }

    private void serve(int worker) {
        Job finished = null;
        while (!closed) {
            Job job = current;
            if (job == null || job == finished) {
                waitForWork(finished);
                continue;
            }
            job.work(worker);
            finished = job;
        }
    }

    private void waitForWork(Job finished) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (!closed) {
            Job job = current;
            if (job != null && job != finished) {
                return;
            }
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }

    /** One call of {@link #run}: parts are claimed with a counter, so a fast thread takes more of them. */
    private static final class Job {
        private final Part body;
        private final int parts;
        private final Thread caller;
        private final AtomicInteger nextPart = new AtomicInteger();
        private final AtomicInteger finishedParts = new AtomicInteger();
        private volatile Throwable failure;

        Job(Part body, int parts, Thread caller) {
            this.body = body;
            this.parts = parts;
            this.caller = caller;
        }

        void work(int worker) {
            for (int part = nextPart.getAndIncrement(); part < parts; part = nextPart.getAndIncrement()) {
                try {
                    body.run(part, worker);
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                } finally {
                    if (finishedParts.incrementAndGet() == parts) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        void awaitCompletion() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (finishedParts.get() < parts) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}
