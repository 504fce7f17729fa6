package io.parley.livechat.v3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.livechat.v3.Accounts;
import io.parley.livechat.v3.V3Failure;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The accounts client against a scripted accounts service over real HTTP, in the documented shapes. */
class HttpAccountsTest {

    private static FakeLiveChat fake;
    private static HttpAccounts accounts;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeLiveChat();
        accounts = new HttpAccounts(fake::uri, "client-1", "secret-1", Duration.ofSeconds(10));
    }

    @BeforeEach
    void forget() {
        fake.forgetCalls();
        fake.answer(call -> new FakeLiveChat.Answer(200, "{}"));
    }

    @AfterAll
    static void stop() throws Exception {
        accounts.close();
        fake.close();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(FakeLiveChat.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static V3Failure failure(CompletableFuture<?> call) throws Exception {
        try {
            await(call);
        } catch (ExecutionException e) {
            return assertInstanceOf(V3Failure.class, e.getCause());
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void aRefreshIsAFormPostAndKeepsTheRotatedRefreshToken() throws Exception {
        fake.answer(call -> new FakeLiveChat.Answer(200, "{\"access_token\":\"dal:agent-access\",\"account_id\":\"a\","
                + "\"expires_in\":28800,\"organization_id\":\"o\",\"scope\":\"customers:own\","
                + "\"refresh_token\":\"refresh-2\",\"token_type\":\"Bearer\"}"));
        Accounts.AgentGrant grant = await(accounts.refresh("refresh-1"));
        assertEquals(new Accounts.AgentGrant("dal:agent-access", "refresh-2", Duration.ofHours(8)), grant);

        FakeLiveChat.Call call = fake.nextCall();
        assertEquals("POST", call.method());
        assertEquals("/v2/token", call.path());
        assertTrue(call.header("Content-Type").startsWith("application/x-www-form-urlencoded"));
        Fields form = new Fields();
        UrlEncoded.decodeUtf8To(call.body(), form);
        assertEquals("refresh_token", form.getValue("grant_type"));
        assertEquals("refresh-1", form.getValue("refresh_token"));
        assertEquals("client-1", form.getValue("client_id"));
        assertEquals("secret-1", form.getValue("client_secret"));
    }

    @Test
    void aRefreshWithoutANewRefreshTokenKeepsTheOldOne() throws Exception {
        fake.answer(call -> new FakeLiveChat.Answer(200, "{\"access_token\":\"dal:a\",\"expires_in\":60}"));
        assertEquals("refresh-1", await(accounts.refresh("refresh-1")).refreshToken());
        fake.nextCall();
    }

    @Test
    void aCustomerTokenIsTheAgentTokenGrantInJson() throws Exception {
        String answer = "{\"access_token\":\"dal:customer\",\"client_id\":\"client-1\",\"entity_id\":\"e-1\","
                + "\"expires_in\":28800,\"token_type\":\"Bearer\",\"organization_id\":\"o\"}";
        fake.answer(call -> new FakeLiveChat.Answer(200, answer));
        assertEquals(new Accounts.CustomerGrant("dal:customer", "e-1", Duration.ofHours(8)),
                await(accounts.customerToken("dal:agent-access", null)));
        FakeLiveChat.Call call = fake.nextCall();
        assertEquals("/v2/customer/token", call.path());
        assertEquals("Bearer dal:agent-access", call.header("Authorization"));
        assertTrue(call.header("Content-Type").startsWith("application/json"));
        assertEquals(Map.of("grant_type", "agent_token", "client_id", "client-1", "response_type", "token"),
                JsonText.readObject(call.body()), "a new customer: no entity_id");

        await(accounts.customerToken("dal:agent-access", "e-1"));
        assertEquals("e-1", JsonText.readObject(fake.nextCall().body()).get("entity_id"));
    }

    @Test
    void refusalsAndBrokenAnswersAreFailures() throws Exception {
        fake.answer(call -> new FakeLiveChat.Answer(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh-1 is gone\"}"));
        V3Failure refused = failure(accounts.refresh("refresh-1"));
        assertEquals(V3Failure.Kind.AUTHENTICATION, refused.kind());
        assertEquals("invalid_grant", refused.type());
        assertFalse(refused.ambiguous());
        assertFalse(refused.getMessage().contains("refresh-1"));
        fake.nextCall();

        fake.answer(call -> new FakeLiveChat.Answer(200, "{\"client_id\":\"client-1\"}"));
        V3Failure malformed = failure(accounts.customerToken("dal:agent", null));
        assertEquals(V3Failure.Kind.MALFORMED, malformed.kind());
        assertTrue(malformed.ambiguous());
        assertNull(malformed.type());
        fake.nextCall();
    }
}
