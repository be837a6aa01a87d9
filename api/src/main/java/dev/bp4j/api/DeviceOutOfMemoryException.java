package dev.bp4j.api;

/** The device could not hold an allocation; the backend stays usable and closable. */
public class DeviceOutOfMemoryException extends RuntimeException {
    private final long requestedBytes;
    private final long availableBytes;

    public DeviceOutOfMemoryException(String device, long requestedBytes, long availableBytes, Throwable cause) {
        super(device + ": out of device memory: requested " + requestedBytes + " bytes, "
                + (availableBytes >= 0 ? availableBytes + " bytes available" : "available bytes unknown"), cause);
        this.requestedBytes = requestedBytes;
        this.availableBytes = availableBytes;
    }

    public long requestedBytes() {
        return requestedBytes;
    }

    /** Bytes the device reports free, or −1 where the device does not say. */
    public long availableBytes() {
        return availableBytes;
    }
}
