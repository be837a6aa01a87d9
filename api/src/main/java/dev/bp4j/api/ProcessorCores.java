package dev.bp4j.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * How many cores this process may run on, each counted once however many hardware threads (SMT
 * siblings) it has: the CPU backend's default thread count. A training step is mostly products
 * that keep a core's multiply-add units busy, and its sibling threads share those units, so a
 * second thread per core adds no arithmetic, only one more part to wait for at every join.
 * PyTorch's CPU thread pool defaults to the physical cores too.
 *
 * <p>On Linux the cores are read from sysfs: the processors this process may use
 * ({@code Cpus_allowed_list} in {@code /proc/self/status}), grouped by their
 * {@code topology/thread_siblings_list}, and never more than
 * {@link Runtime#availableProcessors()}, which also honours a container's CPU quota. Where those
 * files cannot be read, every available processor counts as a core.
 */
public final class ProcessorCores {

    private static final Path CPUS = Path.of("/sys/devices/system/cpu");
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final String ALLOWED = "Cpus_allowed_list:";
    /** Far beyond any machine's processor numbers (Linux allows 8192): a larger one is a misread. */
    private static final int MAX_PROCESSOR = 1 << 16;

    private ProcessorCores() {
    }

    /** The cores available to this process, at least 1. */
    public static int available() {
        int processors = Runtime.getRuntime().availableProcessors();
        OptionalInt cores = count(CPUS, allowedProcessors(STATUS));
        return cores.isPresent() ? Math.max(1, Math.min(processors, cores.getAsInt())) : processors;
    }

    /**
     * The distinct cores of the processors in {@code allowed} (a Linux CPU list such as
     * {@code 0-3,8}) that are online under {@code cpus}, a folder laid out as
     * {@code /sys/devices/system/cpu}; empty if a list is missing or malformed or an online
     * processor's siblings cannot be read.
     */
    static OptionalInt count(Path cpus, String allowed) {
        if (allowed == null) {
            return OptionalInt.empty();
        }
        Set<String> cores = new HashSet<>();
        try {
            // An affinity mask may name processors that are not online (hot-pluggable ones, in VMs).
            Set<Integer> online = new HashSet<>();
            for (int cpu : processors(Files.readString(cpus.resolve("online")))) {
                online.add(cpu);
            }
            for (int cpu : processors(allowed)) {
                if (!online.contains(cpu)) {
                    continue;
                }
                Path siblings = cpus.resolve("cpu" + cpu).resolve("topology").resolve("thread_siblings_list");
                cores.add(Files.readString(siblings).trim());
            }
        } catch (IOException | RuntimeException unreadable) {
            return OptionalInt.empty();
        }
        return cores.isEmpty() ? OptionalInt.empty() : OptionalInt.of(cores.size());
    }

    /** The processor numbers of a Linux CPU list ({@code 0-3,8,10-11}); throws on anything else. */
    static int[] processors(String list) {
        return Arrays.stream(list.trim().split(","))
                .flatMapToInt(range -> {
                    String[] ends = range.split("-", -1);
                    int first = Integer.parseInt(ends[0].trim());
                    int last = ends.length == 1 ? first : Integer.parseInt(ends[1].trim());
                    if (ends.length > 2 || first < 0 || last < first || last > MAX_PROCESSOR) {
                        throw new IllegalArgumentException("not a CPU range: " + range);
                    }
                    return IntStream.rangeClosed(first, last);
                })
                .toArray();
    }

    /** This process's {@code Cpus_allowed_list}, or null where {@code status} has none. */
    static String allowedProcessors(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(ALLOWED)) {
                    return line.substring(ALLOWED.length()).trim();
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // Not Linux, or no procfs: every available processor counts.
        }
        return null;
    }
}
