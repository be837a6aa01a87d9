package dev.bp4j.api;

/**
 * The mutable tally behind {@link Backend#stats()}, for backend implementations. Backends are
 * driven from one thread at a time, so plain fields suffice.
 */
public final class BackendCounters {
    private long liveBuffers;
    private long kernelLaunches;
    private long hostToDeviceTransfers;
    private long hostToDeviceBytes;
    private long deviceToHostTransfers;
    private long deviceToHostBytes;

    public void allocated() {
        liveBuffers++;
    }

    public void released() {
        liveBuffers--;
    }

    public void launched(int kernels) {
        kernelLaunches += kernels;
    }

    public void uploaded(long bytes) {
        hostToDeviceTransfers++;
        hostToDeviceBytes += bytes;
    }

    public void downloaded(long bytes) {
        deviceToHostTransfers++;
        deviceToHostBytes += bytes;
    }

    public BackendStats snapshot() {
        return new BackendStats(liveBuffers, kernelLaunches, hostToDeviceTransfers, hostToDeviceBytes,
                deviceToHostTransfers, deviceToHostBytes);
    }
}
