package io.parley.livechat.v2;

import io.parley.upstream.HeardLines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.relay.StoredConversation;
import io.parley.settings.SettingSource;
import io.parley.settings.Settings;
import io.parley.tasks.ManualScheduler;
import io.parley.upstream.Outgoing;
import io.parley.upstream.UpstreamChat;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A record written before the upstream kept its own snapshot, with its v2 fields, is read as this
 * version's: the open chat goes on with its session and cursor, and its unsent message is
 * settled from the transcript, so that an upgrade ends no chat and sends nothing twice.
 */
class LegacyRecordsTest {

    /** As the previous version wrote it: an open chat, a message on its way, one with an echo due. */
    private static final String LEGACY = "{\"key\":\"k\",\"logId\":\"0badcafe\",\"visitorId\":\"p-old\","
            + "\"securedSessionId\":\"s-old\",\"state\":\"CHATTING\",\"lastSeq\":3,\"events\":[],"
            + "\"seenIds\":[4,7],\"accepted\":[{\"clientId\":\"m1\",\"seq\":1},{\"clientId\":\"m2\",\"seq\":3}],"
            + "\"unsent\":[{\"clientId\":\"m2\",\"seq\":3,\"text\":\"Still there?\",\"attempts\":1}],"
            + "\"awaitingEcho\":[{\"clientId\":\"m1\",\"seq\":1,\"text\":\"Hello\",\"attempts\":1}],"
            + "\"socketOrigin\":\"\"}";

    private final Jsonb jsonb = JsonbBuilder.create();

    @Test
    void aRecordOfThePreviousVersionBecomesThisVersionsWithItsV2PartAsTheSnapshot() {
        StoredConversation legacy = jsonb.fromJson(LEGACY, StoredConversation.class);
        assertTrue(legacy.legacy());
        StoredConversation upgraded = LegacyRecords.upgrade(legacy);
        V2Snapshot snapshot = V2Snapshot.fromJson(upgraded.upstream());
        assertEquals(new V2Snapshot("p-old", "s-old", List.of(4L, 7L),
                List.of(new V2Snapshot.Send("m2", "Still there?", 1)),
                List.of(new V2Snapshot.Send("m1", "Hello", 1)), List.of("m1")), snapshot);
        assertEquals(null, upgraded.visitorId(), "the v2 fields live in the snapshot only");
        assertEquals(legacy.unsent(), upgraded.unsent(), "the relay still gives the message back");
        assertSame(upgraded, LegacyRecords.upgrade(upgraded), "a record of this version is left as it is");
    }

    @Test
    void theUpgradedChatGoesOnWithItsSessionAndCursorAndSendsNothingTwice() {
        ManualScheduler clock = new ManualScheduler();
        ScriptedClient client = new ScriptedClient();
        LiveChatV2 upstream = new LiveChatV2(new ObservedUpstreamClient(client), clock,
                Settings.load(SettingSource.of(Map.of())), new Random(1), UpstreamPoller.Listener.NONE);
        HeardLines heard = new HeardLines(() -> null);
        UpstreamChat chat = upstream.chat("0badcafe",
                LegacyRecords.upgrade(jsonb.fromJson(LEGACY, StoredConversation.class)).upstream(), heard);
        chat.send(new Outgoing("m2", "Still there?", true));
        chat.resume();
        clock.advance(Duration.ZERO);
        ScriptedClient.Call poll = client.next("poll");
        assertEquals(new UpstreamSession("p-old", "s-old"), poll.session(), "the same chat, not a new one");
        assertEquals(7, poll.after(), "read from where the previous version stopped");
        poll.answer(new PollResult.Polled(List.of(
                new UpstreamEvent.Message(8, Instant.EPOCH, UserType.VISITOR, "Hello"),
                new UpstreamEvent.Message(9, Instant.EPOCH, UserType.VISITOR, "Still there?"),
                new UpstreamEvent.Message(10, Instant.EPOCH, UserType.AGENT, "Yes!"))));
        assertEquals(List.of("agent: Yes!", "delivered m2"), heard.take(),
                "both echoes recognised: nothing shown twice, nothing sent again");
        assertEquals(0, client.count("send"));
    }
}
