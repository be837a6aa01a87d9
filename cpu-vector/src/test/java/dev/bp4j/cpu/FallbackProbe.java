package dev.bp4j.cpu;

import dev.bp4j.api.Backend;
import dev.bp4j.api.Backends;

/** Opens cpu by name and prints which backend came, for {@link NamedFallbackTest}'s child JVM without the Vector API module. */
final class FallbackProbe {

    private FallbackProbe() {
    }

    public static void main(String[] args) {
        try (Backend backend = Backends.open("cpu")) {
            System.out.println("opened: " + backend.name());
        }
    }
}
