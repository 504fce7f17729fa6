package io.parley.settings;

/**
 * A setting whose value cannot be used. The message is one line, fit for an operator: it names
 * the setting, where it was given, and what is wrong.
 */
public final class InvalidSettingException extends RuntimeException {

    public InvalidSettingException(String message) {
        super(message, null, false, false);
    }
}
