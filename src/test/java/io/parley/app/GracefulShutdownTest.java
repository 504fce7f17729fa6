package io.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.relay.StoredConversation;
import io.parley.store.MvConversationStore;
import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.Http;
import io.parley.testing.ParleyWithUpstream;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import io.parley.testing.TestedUpstream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Parley in licence mode against an emulator of its own, stopped while it works. */
class GracefulShutdownTest {

    @RegisterExtension
    final ParleyWithUpstream servers = new ParleyWithUpstream();

    private TestServer startParley(Path data, String... more) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("data-dir", data.toString(),
                "poll-fast-interval", "100ms", "poll-interval", "200ms", "poll-idle-interval", "300ms"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return servers.startParley(settings);
    }

    @Test
    void aStoppingNodeTakesNoMoreTabsAndSaysSoToItsBalancer(@TempDir Path data) throws Exception {
        TestServer parley = startParley(data);
        try (TestTab tab = TestTab.chatting(parley.webSocketUri(), "Leaving", "l1", "Still there?")) {
            parley.parley().relay().stopAccepting();

            assertEquals(1012, tab.awaitClose(), "attached tabs are told to come back later");
            try (TestTab late = TestTab.connect(parley.webSocketUri())) {
                late.send("type", "hello", "token", tab.token(), "last_seq", tab.lastSeq());
                assertEquals(1012, late.awaitClose(), "a tab that arrives now is sent away too");
                assertTrue(late.received().isEmpty(), "with no welcome: " + late.received());
            }
            Http.Answer ready = Http.get(parley.uri("/healthz/ready"));
            assertEquals(503, ready.status());
            assertEquals("stopping", ready.object().get("reason"));
        }
    }

    @Test
    void aMessageBeingSentWhenTheNodeStopsIsSentAndSavedAsSent(@TempDir Path data) throws Exception {
        TestServer parley = startParley(data, "upstream-timeout", "5s", "shutdown-timeout", "10s");
        AgentApi agent = servers.agent();
        try (TestTab tab = TestTab.chatting(parley.webSocketUri(), "Last Words", "w1", "Before you go")) {
            int chat = agent.awaitChatNumberOf("Last Words");
            agent.faults("latency_ms", "1500", "calls", TestedUpstream.current().sendCall());
            long sent = agent.calls(TestedUpstream.current().sendCount()); // v3 sends the first with the start
            tab.send("type", "send", "id", "w2", "text", "One more thing");
            tab.ack("w2");
            awaitSendCalls(sent + 1); // the second message is upstream, its answer 1.5 s away

            servers.stopParley();

            agent.awaitChat(chat, Eventually.DEADLINE, transcript ->
                    AgentApi.visitorTexts(transcript).equals(List.of("Before you go", "One more thing")));
        }
        try (MvConversationStore store = MvConversationStore.open(data, Clock.systemUTC())) {
            List<StoredConversation> saved = store.loadAll();
            assertEquals(1, saved.size());
            assertEquals(List.of(), saved.get(0).unsent(), "the send finished before the stop, so nothing is left to settle");
            assertEquals("waiting", saved.get(0).state().toLowerCase());
        }
    }

    private void awaitSendCalls(long count) throws Exception {
        AgentApi agent = servers.agent();
        Instant deadline = Instant.now().plus(Eventually.DEADLINE);
        while (agent.calls(TestedUpstream.current().sendCount()) < count) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the send was called " + agent.calls(TestedUpstream.current().sendCount()) + " times");
            }
            Thread.onSpinWait();
        }
    }
}
