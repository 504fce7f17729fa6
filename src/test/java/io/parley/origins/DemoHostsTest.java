package io.parley.origins;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.settings.SettingSource;
import io.parley.settings.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoHostsTest {

    private static DemoHosts hosts(Map<String, String> settings) {
        return new DemoHosts(Settings.load(SettingSource.of(settings)));
    }

    @Test
    void aDemoAnswersLocalNamesAddressesAndAllowedSitesOnly() {
        DemoHosts demo = hosts(Map.of("allowed-origins", "https://shop.example.com, http://dev.test:3000"));
        for (String host : List.of("localhost", "localhost:8080", "LOCALHOST:8080", "127.0.0.1:8080", "[::1]:8080",
                "192.168.1.20:8080", "shop.example.com", "shop.example.com:8443", "dev.test:8080", "localhost.")) {
            assertTrue(demo.allows(host), host);
        }
        for (String host : List.of("rebind.attacker.example", "rebind.attacker.example:8080", "127.0.0.1.nip.io:8080",
                "example.com", "localhost.attacker.example", "")) {
            assertFalse(demo.allows(host), host);
        }
    }

    @Test
    void withALicenceEveryHostIsAnswered() {
        assertTrue(hosts(Map.of("licence-id", "123")).allows("chat.example.org"));
    }
}
