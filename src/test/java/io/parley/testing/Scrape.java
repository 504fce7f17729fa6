package io.parley.testing;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;

/** One answer of {@code /metrics}, read as Prometheus would. */
public record Scrape(String text) {

    public static Scrape of(URI metrics, String... headers) throws Exception {
        Http.Answer answer = Http.get(metrics, headers);
        if (answer.status() != 200) {
            throw new AssertionError("/metrics answered " + answer.status() + ": " + answer.body());
        }
        return new Scrape(answer.body());
    }

    /**
     * Scrapes until the series (a name and {@code label="value"} pairs it must have) has a value
     * that satisfies the test; fails after ten seconds.
     */
    public static double await(URI metrics, String series, DoublePredicate test, String... labels) throws Exception {
        Instant deadline = Instant.now().plus(Eventually.DEADLINE);
        while (true) {
            Scrape scrape = of(metrics);
            OptionalDouble value = scrape.value(series, labels);
            if (value.isPresent() && test.test(value.getAsDouble())) {
                return value.getAsDouble();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(series + " " + Arrays.toString(labels) + " is " + value + " after 10s");
            }
            Thread.onSpinWait();
        }
    }

    /** The value of the first series of this name with all these labels, if any. */
    public OptionalDouble value(String series, String... labels) {
        return text.lines()
                .filter(line -> line.startsWith(series + "{") || line.startsWith(series + " "))
                .filter(line -> Arrays.stream(labels).allMatch(label -> line.contains(label)))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }
}
