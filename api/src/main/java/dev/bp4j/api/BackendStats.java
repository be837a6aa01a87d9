package dev.bp4j.api;

/**
 * Counters a backend keeps since it was opened. Differences between two snapshots give the
 * cost of a training step: how many kernels it launched and how much crossed between host and
 * device.
 *
 * @param liveBuffers   matrices and index vectors allocated and not yet closed
 * @param kernelLaunches device kernels (or, on CPU backends, operations) started
 */
public record BackendStats(long liveBuffers, long kernelLaunches,
                           long hostToDeviceTransfers, long hostToDeviceBytes,
                           long deviceToHostTransfers, long deviceToHostBytes) {

    public BackendStats minus(BackendStats earlier) {
        return new BackendStats(liveBuffers - earlier.liveBuffers, kernelLaunches - earlier.kernelLaunches,
                hostToDeviceTransfers - earlier.hostToDeviceTransfers, hostToDeviceBytes - earlier.hostToDeviceBytes,
                deviceToHostTransfers - earlier.deviceToHostTransfers, deviceToHostBytes - earlier.deviceToHostBytes);
    }
}
