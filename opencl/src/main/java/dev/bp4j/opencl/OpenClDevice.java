package dev.bp4j.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.Locale;

/**
 * One OpenCL device as the platform reports it, with its position in the machine-wide list
 * (platforms in driver order, then their devices) that {@code --device N} refers to.
 */
record OpenClDevice(int index, cl_platform_id platform, cl_device_id id, String platformName, String name,
                    String type, boolean gpu, int computeUnits, long globalMemoryBytes, long largestAllocationBytes,
                    long localMemoryBytes, long maxWorkGroupSize, String openClVersion, String driverVersion) {

    /** One line for {@code bp4j devices} and error messages. */
    String summary() {
        return "#" + index + " " + name + " (" + type + ", " + platformName + "): " + computeUnits + " compute units, "
                + gibibytes(globalMemoryBytes) + " global memory, " + gibibytes(largestAllocationBytes)
                + " largest allocation, " + openClVersion + ", driver " + driverVersion;
    }

    /** What tuned parameters are valid for: the same device model under the same driver. */
    String tuningKey() {
        return name + " | " + driverVersion;
    }

    private static String gibibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
