package io.parley.emulator.v3;

import static io.parley.emulator.v3.CustomerClient.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Short token lifetimes and rotated refresh tokens, injected through the agent API's
 * {@code /faults}: the expiry as src/pages/messaging/customer-chat-api/rtm-pushes/index.mdx
 * (customer_disconnected, access_token_expired) and the Web API's {@code authentication} error say.
 */
class TokenExpiryTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-demo-agent", "false"));

    private final CustomerClient client = new CustomerClient(PARLEY.server());

    @AfterEach
    void clearFaults() throws Exception {
        PARLEY.agent().clearFaults();
    }

    @Test
    void anExpiredTokenEndsTheSocketAndIsRefusedByTheWebApi() throws Exception {
        String agent = client.agentToken();
        String entity = (String) client.customerGrant(agent, null).object().get("entity_id");
        assertEquals(200, PARLEY.agent().faults("token_lifetime_s", "1").status());
        Map<String, Object> grant = client.customerGrant(agent, entity).object();
        assertEquals(BigDecimal.ONE, grant.get("expires_in"));
        PARLEY.agent().clearFaults(); // tokens issued before keep their lifetime
        String token = (String) grant.get("access_token");
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            Map<String, Object> disconnected = rtm.push("customer_disconnected");
            assertEquals(Map.of("reason", "access_token_expired"), disconnected.get("payload"));
            assertEquals(1000, rtm.awaitClosed());
        }
        Http.Answer refused = client.call(token, "get_customer", "{}");
        assertEquals(401, refused.status());
        assertEquals("authentication", map(refused.object().get("error")).get("type"));
        // a fresh token for the same customer works again
        String fresh = (String) client.customerGrant(agent, entity).object().get("access_token");
        try (RtmClient again = RtmClient.loggedIn(PARLEY.server(), fresh)) {
            assertEquals(entity, again.ok("get_customer", Map.of()).get("id"));
        }
    }

    @Test
    void rotatedRefreshTokensAreGoodOnce() throws Exception {
        assertEquals(200, PARLEY.agent().faults("rotate_refresh_tokens", "true").status());
        Map<String, Object> first = refresh(DemoAccount.REFRESH_TOKEN).object();
        String rotated = (String) first.get("refresh_token");
        assertNotEquals(DemoAccount.REFRESH_TOKEN, rotated);
        Map<String, Object> second = refresh(rotated).object();
        assertNotEquals(rotated, second.get("refresh_token"));
        Http.Answer reused = refresh(rotated);
        assertEquals(400, reused.status());
        assertEquals("invalid_grant", reused.object().get("error"));
        assertEquals(200, refresh(DemoAccount.REFRESH_TOKEN).status(), "the configured one stays good");
        assertEquals(Map.of("rtm_drop_rate", new BigDecimal("0.0"), "push_loss_rate", new BigDecimal("0.0"),
                "token_lifetime_s", new BigDecimal(28800), "rotate_refresh_tokens", true,
                "rtm_idle_timeout_ms", new BigDecimal(30000), "seed", BigDecimal.ONE),
                map(Http.get(PARLEY.server().uri("/emulator/agent/api/faults")).object().get("v3")));
    }

    private Http.Answer refresh(String refreshToken) throws Exception {
        return Http.post(client.uri("/accounts/v2/token"), Http.form("grant_type", "refresh_token",
                "refresh_token", refreshToken, "client_id", DemoAccount.CLIENT_ID,
                "client_secret", DemoAccount.CLIENT_SECRET));
    }
}
