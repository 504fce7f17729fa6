package io.parley.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parley in a JVM of its own, for tests that kill it ({@code SIGKILL}) as a crash would: settings
 * as {@code name=value} arguments, exactly as given (no {@code data-dir} unless named). Prints
 * {@code PORT n} once it listens, and stops when its standard input closes.
 */
public final class StandaloneParley {

    private StandaloneParley() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            settings.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        try (TestServer server = TestServer.startAsDeployed(settings)) {
            server.parley(); // fails here if it did not start
            System.out.println("PORT " + server.uri().getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the test closes our standard input, or kills us
            }
        }
        System.exit(0);
    }
}
