package dev.bp4j.opencl;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which device a selector names: an index into the machine-wide list, or a case-insensitive
 * substring of the device name (the first match). Without a selector the first GPU is taken,
 * and, when a user asked for {@code opencl} explicitly, the first device of any type.
 */
final class DeviceChoice {

    private DeviceChoice() {
    }

    /** The chosen device, or empty when the selector matches nothing (see {@link #whyNone}). */
    static Optional<OpenClDevice> choose(List<OpenClDevice> devices, String selector) {
        if (selector == null || selector.isBlank()) {
            return devices.stream().filter(OpenClDevice::gpu).findFirst().or(() -> devices.stream().findFirst());
        }
        String wanted = selector.trim();
        if (wanted.length() < 10 && wanted.chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(wanted);
            return index < devices.size() ? Optional.of(devices.get(index)) : Optional.empty();
        }
        String lower = wanted.toLowerCase(Locale.ROOT);
        return devices.stream().filter(d -> d.name().toLowerCase(Locale.ROOT).contains(lower)).findFirst();
    }

    static String whyNone(List<OpenClDevice> devices, String selector) {
        return "no OpenCL device matches --device '" + selector + "' (expected an index or a name substring; devices: "
                + devices.stream().map(d -> "#" + d.index() + " " + d.name()).collect(Collectors.joining(", ")) + ")";
    }
}
