package dev.bp4j.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The backend's long-lived threads: the calling thread plus {@code threads − 1} daemon workers.
 * {@link #run} splits one operation into parts and returns when all are done;
 * {@link #runTogether} runs parts that meet at {@link #barrier}s within the operation. Workers spin
 * briefly before parking because a training step issues dozens of operations a millisecond
 * apart, and a park/unpark round trip per operation would cost more than a small operation
 * itself. A spin pauses at first and then yields the core between looks: where the machine has
 * more runnable threads than cores (two runs at once, the JIT compiler), a thread that only
 * pauses keeps a core from the thread it is waiting for, or from the other program.
 *
 * <p>A job of at most one part per thread is pinned: part i runs on thread i (the caller is
 * thread 0), unless thread i has not started it when the caller has finished its own. The
 * backend splits consecutive operations so that each thread reads the bands it wrote itself
 * (see {@link dev.bp4j.cpu.gemm.Gemm} and {@link BiasKernels}), and those stay in its own
 * core's cache. With parts taken first come, which thread got which half changed from call to
 * call, and on the 2-core machine a momentum update right after the gradient product ran 1.6×
 * slower on two threads than on one, pulling half its operands from the other core.
 *
 * <p>Public only so that the GEMM package can split its work; not part of the library's API.
 */
public final class WorkerPool implements AutoCloseable {

    /** One part of an operation; {@code worker} is in [0, threads) and selects per-thread scratch space. */
    @FunctionalInterface
    public interface Part {
        void run(int part, int worker);
    }

    /** A contiguous range [from, to) of a one-dimensional operation, run by thread {@code worker}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to, int worker);
    }

    /** How long a waiting thread spins before it parks. */
    private static final long SPIN_NANOS = 50_000;
    /**
     * How long of the spin it only pauses; past this it yields between looks. Two two-thread runs
     * at once on two cores trained 1.16× faster together than with pausing for the whole spin,
     * and a run alone as fast (docs/performance.md, "A spin pauses for 20 µs").
     */
    private static final long PAUSE_NANOS = 20_000;
    /** How often a part waiting at a {@link #barrier} past its spin looks again. */
    private static final long BARRIER_POLL_NANOS = 20_000;
    /** Default range boundaries fall on multiples of this many elements: whole 64-byte lines of floats. */
    private static final int ALIGNMENT = 16;
    private static final int MAX_PARTS = 0x7FFF;
    /** Longs between two parts' claim records: one 64-byte cache line each, so claims do not contend. */
    private static final int CLAIM_STRIDE = 8;

    private final int threads;
    private final Thread[] workers;
    /**
     * The job in progress in one word: its generation (high 32 bits), its part count (15 bits)
     * and, unless it is pinned ({@link #pinned}), its next unclaimed part (low 16 bits). A part
     * of a job that is not pinned is claimed by compare-and-set on the whole word, so a thread
     * still looking at a finished job can never claim a part of the next one, and the pool needs
     * no object per job (a job, its counters and a lambda per operation before: part of the
     * 64 KB a training step allocated).
     */
    private final AtomicLong claims = new AtomicLong();
    /**
     * The number of the job in progress, counted from 1 and never reused; its low 32 bits are the
     * generation in {@link #claims}. Written before {@link #claims} publishes the job.
     */
    private volatile long jobNumber;
    /**
     * Per part, at {@code part · CLAIM_STRIDE}: the number of the last pinned job in which the
     * part was claimed. A claim raises it to the job's number by compare-and-set, so a part is
     * claimed once per job, and a thread still looking at a finished job finds every part of it
     * claimed (numbers only grow) and cannot claim a part of the next one.
     */
    private final AtomicLongArray claimedIn;
    private final AtomicInteger finishedParts = new AtomicInteger();
    /** The current job's body; written before {@link #claims} publishes the job. */
    private Part body;
    private Thread caller;
    private volatile Throwable failure;
    /** The range job {@link #runRange} hands to {@link #run}, created once. */
    private final Part rangePart = this::runRangePart;
    private Range range;
    private int rangeLength;
    private int rangeParts;
    private int rangeAlignment;
    private volatile boolean closed;
    /** The parts of the {@link #runTogether} job in progress, which each {@link #barrier} waits for. */
    private int barrierParts = 1;
    private final AtomicInteger barrierArrivals = new AtomicInteger();
    /** How many barriers the job in progress has passed: a waiting part watches it change. */
    private volatile int barrierPhase;

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a worker pool needs at least one thread, got " + threads);
        }
        this.threads = threads;
        this.claimedIn = new AtomicLongArray(threads * CLAIM_STRIDE);
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int worker = i + 1;
            Thread thread = new Thread(() -> serve(worker), "bp4j-cpu-" + worker);
            thread.setDaemon(true);
            workers[i] = thread;
            thread.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs parts 0..parts−1, on this thread and the workers, and rethrows the first failure. */
    public void run(int parts, Part body) {
        if (parts <= 0) {
            return;
        }
        if (parts > MAX_PARTS) {
            throw new IllegalArgumentException("a job of " + parts + " parts; at most " + MAX_PARTS);
        }
        if (parts == 1 || threads == 1) {
            for (int part = 0; part < parts; part++) {
                body.run(part, 0);
            }
            return;
        }
        this.body = body;
        this.caller = Thread.currentThread();
        failure = null;
        finishedParts.set(0);
        long number = jobNumber + 1;
        jobNumber = number;
        long generation = generation(number);
        boolean pinned = pinned(parts);
        // Part 0 of a pinned job is the caller's; no worker claims it.
        claims.set(generation << 32 | (long) parts << 16);
        for (int i = 0; i < workers.length && (!pinned || i + 1 < parts); i++) {
            LockSupport.unpark(workers[i]);
        }
        if (pinned) {
            runPart(0, 0, parts);
            // A worker that has not even started its part (descheduled, or still waking from
            // park) would hold the caller up for its whole part: the caller takes it instead.
            for (int part = 1; part < parts; part++) {
                if (claimPinned(number, part)) {
                    runPart(part, 0, parts);
                }
            }
        } else {
            work(generation, 0);
        }
        awaitCompletion(parts);
        this.body = null;
        Throwable failed = failure;
        if (failed != null) {
            throw new IllegalStateException("a worker thread failed: " + failed, failed);
        }
    }

    /**
     * Runs parts 0..parts−1 (at most one per thread) at the same time, each on its own thread,
     * so that they can meet at {@link #barrier}: every part must call it the same number of
     * times. Returns when all are done and rethrows the first failure; a failure releases the
     * parts waiting at a barrier, which then fail too.
     */
    public void runTogether(int parts, Part body) {
        if (parts > threads) {
            throw new IllegalArgumentException("a job of " + parts + " parts that meet at barriers needs a thread for each;"
                    + " this pool has " + threads);
        }
        barrierParts = parts;
        barrierArrivals.set(0);
        // A pinned job (run's, since parts ≤ threads) gives each part its own thread: the caller
        // takes over a worker's part only after finishing part 0, which cannot happen before
        // every part has passed the last barrier, so has started.
        run(parts, body);
    }

    /**
     * Waits, inside a part of a {@link #runTogether} job, until every part of the job has
     * called it as often as this one: what the others wrote before their call is visible
     * after it. Spins first, as between operations; then polls, so an oversubscribed machine
     * still gets the core to the part that holds everyone up.
     */
    public void barrier() {
        int phase = barrierPhase;
        if (barrierArrivals.incrementAndGet() == barrierParts) {
            // Reset before the phase moves on: a part can arrive at the next barrier only after seeing the new phase.
            barrierArrivals.set(0);
            barrierPhase = phase + 1;
            return;
        }
        long start = System.nanoTime();
        while (barrierPhase == phase) {
            if (failure != null) {
                throw new IllegalStateException("another part of the job failed while this one waited for it");
            }
            if (!spun(start)) {
                LockSupport.parkNanos(this, BARRIER_POLL_NANOS);
            }
        }
    }

    /**
     * Runs {@code body} over [0, length) in at most one range per thread, each at least
     * {@code grain} long, so small operations stay on the calling thread; inner boundaries on
     * multiples of {@link #ALIGNMENT}, whole lines of floats.
     */
    public void runRange(int length, int grain, Range body) {
        runRange(length, grain, ALIGNMENT, body);
    }

    /** As {@link #runRange(int, int, Range)}, inner boundaries on multiples of {@code alignment}. */
    public void runRange(int length, int grain, int alignment, Range body) {
        int parts = (int) Math.min(threads, Math.max(1, (long) length / Math.max(1, grain)));
        if (parts == 1) {
            body.run(0, length, 0);
            return;
        }
        range = body;
        rangeLength = length;
        rangeParts = parts;
        rangeAlignment = alignment;
        try {
            run(parts, rangePart);
        } finally {
            range = null;
        }
    }

    private void runRangePart(int part, int worker) {
        int from = boundary(part, rangeParts, rangeLength, rangeAlignment);
        int to = boundary(part + 1, rangeParts, rangeLength, rangeAlignment);
        if (from < to) {
            range.run(from, to, worker);
        }
    }

    private static int boundary(int part, int parts, int length, int alignment) {
        if (part == parts) {
            return length;
        }
        long even = (long) length * part / parts;
        return (int) Math.min(length, even - even % alignment);
    }

    /**
     * Claims and runs parts of job {@code generation} until none is left or a newer job began;
     * of a pinned job, only the worker's own part, if the caller has not taken it.
     */
    private void work(long generation, int worker) {
        while (true) {
            long state = claims.get();
            if (state >>> 32 != generation) {
                return;
            }
            int parts = (int) (state >>> 16) & MAX_PARTS;
            if (pinned(parts)) {
                // The job's number, unless the caller has already moved on to the next job.
                long number = jobNumber;
                if (worker < parts && generation(number) == generation && claimPinned(number, worker)) {
                    runPart(worker, worker, parts);
                }
                return;
            }
            int part = (int) state & MAX_PARTS;
            if (part >= parts) {
                return;
            }
            if (!claims.compareAndSet(state, state + 1)) {
                continue;
            }
            runPart(part, worker, parts);
        }
    }

    /** The generation {@link #claims} carries for job {@code number}: its low 32 bits. */
    private static long generation(long number) {
        return number & 0xFFFF_FFFFL;
    }

    /**
     * Whether a job of {@code parts} parts is pinned: part i runs on thread i, claimed in
     * {@link #claimedIn} by that thread or, if it has not started it by the time the caller is
     * done with part 0, by the caller.
     */
    private boolean pinned(int parts) {
        return parts <= threads;
    }

    /**
     * Claims part {@code part} of pinned job {@code number}; false if it was claimed in this job
     * or a later one. A job ends only when all its parts have been claimed and run, so a claim
     * that succeeds is for a job still in progress.
     */
    private boolean claimPinned(long number, int part) {
        int at = part * CLAIM_STRIDE;
        long last = claimedIn.get(at);
        return last < number && claimedIn.compareAndSet(at, last, number);
    }

    /** Runs a claimed or pinned part: the job cannot finish before it does, so body is still its own. */
    private void runPart(int part, int worker, int parts) {
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

    private void awaitCompletion(int parts) {
        long start = System.nanoTime();
        while (finishedParts.get() < parts) {
            if (!spun(start)) {
                LockSupport.park(this);
            }
        }
    }

    private void serve(int worker) {
        long done = 0;
        while (!closed) {
            long generation = claims.get() >>> 32;
            if (generation == done) {
                waitForWork(done);
                continue;
            }
            work(generation, worker);
            done = generation;
        }
    }

    private void waitForWork(long done) {
        long start = System.nanoTime();
        while (!closed && claims.get() >>> 32 == done) {
            if (!spun(start)) {
                LockSupport.park(this);
            }
        }
    }

    /**
     * One turn of a wait that began at {@code start} ({@link System#nanoTime}): a pause, or past
     * {@link #PAUSE_NANOS} a yield, and true; false once the wait has spun for
     * {@link #SPIN_NANOS} and should park.
     */
    private static boolean spun(long start) {
        long waited = System.nanoTime() - start;
        if (waited >= SPIN_NANOS) {
            return false;
        }
        if (waited < PAUSE_NANOS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return true;
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
}
