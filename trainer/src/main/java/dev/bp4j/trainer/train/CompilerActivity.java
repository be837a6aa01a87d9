package dev.bp4j.trainer.train;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether the JVM's JIT compilers are still busy, read from the compilation time the JVM
 * reports: {@link WarmUp} keeps going while they are. A compiler thread that is still working
 * when training starts takes a core from it, and a kernel it has not finished runs in slower
 * code until it has: on two cores the first epoch then ran at half the rate of the others.
 */
final class CompilerActivity {

    private final CompilationMXBean compiler;
    private long compileMillis;
    private long wallNanos;

    private CompilerActivity(CompilationMXBean compiler) {
        this.compiler = compiler;
        this.compileMillis = compiler.getTotalCompilationTime();
        this.wallNanos = System.nanoTime();
    }

    /** Watches from now on; null when the JVM compiles nothing or does not say how long it compiles. */
    static CompilerActivity watch() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        return compiler != null && compiler.isCompilationTimeMonitoringSupported() ? new CompilerActivity(compiler) : null;
    }

    /**
     * Whether the compilers worked for at most {@code share} of the wall time since the last
     * call (or since {@link #watch}); starts the next interval.
     */
    boolean quietSinceLastLook(double share) {
        long millis = compiler.getTotalCompilationTime();
        long now = System.nanoTime();
        boolean quiet = millis - compileMillis <= share * (now - wallNanos) / 1e6;
        compileMillis = millis;
        wallNanos = now;
        return quiet;
    }
}
