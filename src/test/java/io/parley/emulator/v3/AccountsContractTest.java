package io.parley.emulator.v3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The accounts calls against the documents: src/pages/authorization/oauth-authorization/index.mdx
 * ("Using the refresh token") and src/pages/authorization/customer-authorization/index.mdx ("Agent
 * token grant"), errors from src/pages/authorization/troubleshooting/index.mdx.
 */
class AccountsContractTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-demo-agent", "false"));

    private final CustomerClient client = new CustomerClient(PARLEY.server());

    private Http.Answer refresh(String refreshToken, String secret) throws Exception {
        return Http.post(client.uri("/accounts/v2/token"), Http.form("grant_type", "refresh_token",
                "refresh_token", refreshToken, "client_id", DemoAccount.CLIENT_ID, "client_secret", secret));
    }

    @Test
    void theRefreshAnswersTheDocumentedFieldsWithARegionPrefixedToken() throws Exception {
        Http.Answer answer = refresh(DemoAccount.REFRESH_TOKEN, DemoAccount.CLIENT_SECRET);
        assertEquals(200, answer.status(), answer.body());
        Map<String, Object> grant = answer.object();
        // the documented response: access_token, account_id, expires_in, organization_id, scope, refresh_token, token_type
        assertEquals(Set.of("access_token", "account_id", "expires_in", "organization_id", "scope", "refresh_token",
                "token_type"), grant.keySet());
        assertTrue(((String) grant.get("access_token")).startsWith("dal:"), answer.body());
        assertEquals(new BigDecimal(28800), grant.get("expires_in"));
        assertEquals("Bearer", grant.get("token_type"));
        assertEquals(DemoAccount.ORGANIZATION_ID, grant.get("organization_id"));
        assertEquals(DemoAccount.REFRESH_TOKEN, grant.get("refresh_token"), "no rotation unless a fault asks for it");
    }

    @Test
    void wrongCredentialsAreRefusedWithTheDocumentedCodes() throws Exception {
        Http.Answer secret = refresh(DemoAccount.REFRESH_TOKEN, "not-the-secret");
        assertEquals(400, secret.status());
        assertEquals("unauthorized_client", secret.object().get("error"));
        assertTrue(secret.object().get("error_description") instanceof String);

        Http.Answer unknown = refresh("not-a-refresh-token", DemoAccount.CLIENT_SECRET);
        assertEquals(400, unknown.status());
        assertEquals("invalid_grant", unknown.object().get("error"));

        Http.Answer grant = Http.post(client.uri("/accounts/v2/token"), Http.form("grant_type", "password"));
        assertEquals(400, grant.status());
        assertEquals("unsupported_grant_type", grant.object().get("error"));
    }

    @Test
    void theRefreshTakesJsonToo() throws Exception {
        Http.Answer answer = CustomerClient.json(client.uri("/accounts/v2/token"), CustomerClient.json(Map.of(
                "grant_type", "refresh_token", "refresh_token", DemoAccount.REFRESH_TOKEN,
                "client_id", DemoAccount.CLIENT_ID, "client_secret", DemoAccount.CLIENT_SECRET)));
        assertEquals(200, answer.status(), answer.body());
    }

    @Test
    void theAgentTokenGrantMakesACustomerThenNewTokensForIt() throws Exception {
        String agent = client.agentToken();
        Http.Answer created = client.customerGrant(agent, null);
        assertEquals(200, created.status(), created.body());
        Map<String, Object> grant = created.object();
        assertEquals(Set.of("access_token", "client_id", "entity_id", "expires_in", "token_type", "organization_id"),
                grant.keySet());
        assertTrue(((String) grant.get("access_token")).startsWith("dal:"));
        assertEquals(DemoAccount.CLIENT_ID, grant.get("client_id"));
        assertEquals(new BigDecimal(28800), grant.get("expires_in"));
        assertEquals("Bearer", grant.get("token_type"));
        String entity = (String) grant.get("entity_id");

        Map<String, Object> again = client.customerGrant(agent, entity).object();
        assertEquals(entity, again.get("entity_id"));
        assertNotEquals(grant.get("access_token"), again.get("access_token"));
        // both tokens act for the same customer
        assertEquals(entity, client.ok((String) again.get("access_token"), "get_customer", "{}").get("id"));
        assertEquals(entity, client.ok((String) grant.get("access_token"), "get_customer", "{}").get("id"));
    }

    @Test
    void aCustomerIdOfTheRightFormIsKnownAfterARestartButNotNonsense() throws Exception {
        String agent = client.agentToken();
        String forgotten = "0b6f0c8e-1d2a-4e3b-9c4d-5e6f7a8b9c0d";
        Http.Answer known = client.customerGrant(agent, forgotten);
        assertEquals(200, known.status(), known.body());
        assertEquals(forgotten, known.object().get("entity_id"));
        Http.Answer nonsense = client.customerGrant(agent, "not-a-customer");
        assertEquals(400, nonsense.status(), nonsense.body());
        assertEquals("invalid_request", nonsense.object().get("error"));
    }

    @Test
    void theCustomerGrantNeedsAGoodAgentToken() throws Exception {
        Http.Answer answer = client.customerGrant("dal:not-a-token", null);
        assertEquals(401, answer.status(), answer.body());
        assertTrue(answer.object().get("error") instanceof String);
    }
}
