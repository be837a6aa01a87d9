package dev.bp4j.api;

/**
 * A setting that a backend cannot take: a system property such as {@code bp4j.threads}, or an
 * option. The message names the setting, the value found and what it expects. Unlike a backend
 * that cannot run here, which {@link Backends#open} replaces by another unless asked to be
 * strict, a bad setting is the user's to mend, so opening fails.
 */
public class BackendSettingException extends IllegalArgumentException {

    public BackendSettingException(String message) {
        super(message);
    }
}
