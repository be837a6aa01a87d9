package dev.bp4j.opencl;

import dev.bp4j.api.BackendOptions;

/** Prints what the provider says about OpenCL, for {@link MissingOpenClTest}'s child JVM that sees no platform. */
final class NoPlatformProbe {

    private NoPlatformProbe() {
    }

    public static void main(String[] args) {
        OpenClBackendProvider provider = new OpenClBackendProvider();
        System.out.println("explicit: " + provider.unavailableReason(BackendOptions.DEFAULT, false).orElse("usable"));
        System.out.println("auto: " + provider.unavailableReason(BackendOptions.DEFAULT, true).orElse("usable"));
        System.out.println("devices: " + String.join(" / ", provider.describeDevices(BackendOptions.DEFAULT)));
    }
}
