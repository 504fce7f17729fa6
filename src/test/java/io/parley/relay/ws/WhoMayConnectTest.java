package io.parley.relay.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code allowed-origins} governs the WebSocket handshake (other pages are refused before the
 * upgrade) and a visitor's token works only on the site it was issued on.
 */
class WhoMayConnectTest {

    private static final String SHOP = "https://shop.example";
    private static final String BLOG = "https://blog.example";

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of(
            "allowed-origins", SHOP + ", " + BLOG, "emulator-demo-agent", "false"));

    private static URI ws() {
        return PARLEY.server().webSocketUri();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "https://shop.example.evil.example", "http://shop.example",
            "https://shop.example:8443", "null", "https://evil.example/https://shop.example"})
    void aPageOfAnotherOriginIsRefusedBeforeTheUpgrade(String origin) {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> TestTab.connect(ws(), "Origin", origin));
        UpgradeException upgrade = assertInstanceOf(UpgradeException.class, refused.getCause());
        assertEquals(403, upgrade.getResponseStatusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {SHOP, BLOG, "HTTPS://SHOP.EXAMPLE"})
    void anAllowedSiteMayConnect(String origin) throws Exception {
        try (TestTab tab = TestTab.connect(ws(), "Origin", origin)) {
            tab.send("type", "hello", "origin", origin);
            assertEquals("idle", tab.next("welcome").get("state"));
        }
    }

    @Test
    void theChatPageOnThisServerMayConnect() throws Exception {
        String own = "http://127.0.0.1:" + ws().getPort();
        try (TestTab tab = TestTab.connect(ws(), "Origin", own)) {
            tab.send("type", "hello");
            assertEquals("idle", tab.next("welcome").get("state"));
        }
    }

    @Test
    void aTokenIssuedOnOneSiteIsUnknownOnAnother() throws Exception {
        // The first tab stays: a visitor who has not chatted is remembered only while a tab is open.
        try (TestTab shop = TestTab.connect(ws(), "Origin", SHOP)) {
            shop.send("type", "hello", "origin", SHOP);
            String token = (String) shop.next("welcome").get("token");
            try (TestTab blog = TestTab.connect(ws(), "Origin", BLOG)) {
                blog.send("type", "hello", "origin", BLOG, "token", token);
                Map<String, Object> welcome = blog.next("welcome");
                assertNotEquals(token, welcome.get("token"), "a new visitor there");
                assertEquals(true, welcome.get("snapshot"), "told to forget what it showed");
            }
            try (TestTab again = TestTab.connect(ws(), "Origin", SHOP)) {
                again.send("type", "hello", "origin", SHOP, "token", token);
                assertEquals(token, again.next("welcome").get("token"), "still valid where it was issued");
            }
        }
    }

    @Test
    void aHelloNamingASiteThatIsNotAllowedIsRefused() throws Exception {
        try (TestTab tab = TestTab.connect(ws())) {
            tab.send("type", "hello", "origin", "https://evil.example");
            assertEquals("origin_refused", tab.next("error").get("code"));
            assertEquals(1008, tab.awaitClose());
        }
    }
}
