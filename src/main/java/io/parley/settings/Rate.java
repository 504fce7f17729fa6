package io.parley.settings;

import java.time.Duration;

/**
 * A limit such as "30 per minute", written {@code 30/1m} in settings.
 *
 * @param count how many are allowed within {@code per}
 * @param per the window the count refills over
 */
public record Rate(int count, Duration per) {

    @Override
    public String toString() {
        return count + "/" + Durations.format(per);
    }
}
