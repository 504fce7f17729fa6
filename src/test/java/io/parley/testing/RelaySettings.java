package io.parley.testing;

import java.util.HashMap;
import java.util.Map;

/** Relay settings shortened for tests: the same logic, on a faster clock. */
public final class RelaySettings {

    private RelaySettings() {
    }

    public static Map<String, String> fast(String... overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "emulator-demo-agent", "false",
                "poll-fast-interval", "100ms",
                "poll-fast-window", "2s",
                "poll-interval", "200ms",
                "poll-idle-interval", "300ms",
                "upstream-timeout", "1s"));
        for (int i = 0; i < overrides.length; i += 2) {
            settings.put(overrides[i], overrides[i + 1]);
        }
        return settings;
    }
}
