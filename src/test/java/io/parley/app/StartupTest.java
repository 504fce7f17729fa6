package io.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.livechat.v2.StartResult;
import io.parley.livechat.v2.UpstreamFailure;
import io.parley.settings.InvalidSettingException;
import io.parley.testing.AgentApi;
import io.parley.testing.Http;
import io.parley.testing.TestServer;
import io.parley.upstream.ChatStart;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How Parley starts: demo mode with the emulator as its upstream, production mode without it, bad settings. */
class StartupTest {

    @Test
    void demoModeReachesTheEmulatorOverHttpThroughTheProductionClient() throws Exception {
        try (TestServer server = TestServer.start(Map.of("emulator-demo-agent", "false", "demo-upstream", "v2"))) {
            Parley parley = server.parley();
            assertTrue(parley.settings().demoMode());
            assertTrue(parley.emulator().isPresent());
            assertInstanceOf(UpstreamFailure.NotSent.class,
                    parley.livechatV2().orElseThrow().start("v1", ChatStart.withWelcome("Hi")).get(30, TimeUnit.SECONDS),
                    "before any request the server does not know its own address");

            Http.Answer home = Http.get(server.uri("/"));
            assertEquals(200, home.status());
            assertTrue(home.body().contains("This is a Parley demo"));
            assertTrue(home.body().contains("/widget.js"), "the demo page embeds the widget");

            assertInstanceOf(StartResult.Started.class, parley.livechatV2().orElseThrow()
                    .start("v1", new ChatStart("Hi", "Through Parley", null, OptionalInt.empty()))
                    .get(30, TimeUnit.SECONDS));
            assertEquals(1, new AgentApi(server).chatNumberOf("Through Parley"));
            assertEquals(200, Http.get(server.uri("/emulator/agent")).status());
        }
    }

    @Test
    void withALicenceTheEmulatorIsNotMountedAndTheApiUrlIsTheUpstream() throws Exception {
        try (TestServer upstream = TestServer.start(Map.of("emulator-demo-agent", "false", "demo-upstream", "v2"));
             TestServer server = TestServer.start(Map.of("licence-id", "123",
                     "api-url", upstream.emulatorUri().toString()))) {
            Parley parley = server.parley();
            assertFalse(parley.settings().demoMode());
            assertTrue(parley.emulator().isEmpty());
            for (String path : new String[] {"/emulator/visitors/v/chat/get_pending_messages", "/emulator/agent",
                    "/emulator/agent/api/chats", "/emulator/assets/console.js"}) {
                assertEquals(404, Http.get(server.uri(path), "X-API-Version", "2").status(), path);
            }
            assertTrue(Http.get(server.uri("/")).body().contains("hosts the Parley chat widget"));

            assertInstanceOf(StartResult.Started.class, parley.livechatV2().orElseThrow()
                    .start("v2", new ChatStart("Hi", "Production", null, OptionalInt.empty()))
                    .get(30, TimeUnit.SECONDS));
            new AgentApi(upstream).chatNumberOf("Production");
        }
    }

    @Test
    void aBadSettingStopsStartUpWithOneLineNamingIt() throws Exception {
        try (TestServer server = TestServer.start(Map.of("poll-interval", "-3s"))) {
            InvalidSettingException failure = assertInstanceOf(InvalidSettingException.class, server.startupFailure());
            assertEquals("Invalid setting poll-interval (context init parameter parley.poll-interval): '-3s' must not "
                    + "be negative", failure.getMessage());
            assertEquals(503, Http.get(server.uri("/")).status());
        }
    }

    @Test
    void errorsNeverShowAStackTrace() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            assertNull(server.startupFailure());
            Http.Answer missing = Http.get(server.uri("/no/such/page?%3Cscript%3E"));
            assertEquals(404, missing.status());
            assertEquals("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>404</title></head>"
                    + "<body><p>Not found.</p></body></html>", missing.body());
            Http.Answer noChat = Http.get(server.uri("/emulator/agent/chats/999"));
            assertEquals(404, noChat.status());
            assertFalse(noChat.body().contains("Exception"));
        }
    }
}
