package io.parley.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.livechat.v2.PollResult;
import io.parley.livechat.v2.StartResult;
import io.parley.livechat.v2.UpstreamEvent;
import io.parley.livechat.v2.UpstreamSession;
import io.parley.livechat.v2.UserType;
import io.parley.livechat.v2.http.HttpUpstreamClient;
import io.parley.testing.Eventually;
import io.parley.testing.RunningParley;
import io.parley.upstream.ChatStart;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The demo agent keeps the demo alive with nobody at the console, until a person takes over. */
class DemoAgentTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-agent-delay", "50ms"));

    private static HttpUpstreamClient client;

    @BeforeAll
    static void start() throws Exception {
        client = new HttpUpstreamClient(PARLEY.server()::emulatorUri, "123", Duration.ofSeconds(5), 4, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    /** Polls as a visitor would, from a cursor, until the events after it satisfy the condition. */
    private static List<UpstreamEvent> pollUntil(UpstreamSession session, long after,
            Predicate<List<UpstreamEvent>> condition) throws Exception {
        List<UpstreamEvent> transcript = new ArrayList<>();
        Instant deadline = Instant.now().plus(Eventually.DEADLINE);
        while (!condition.test(transcript)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("transcript never matched: " + transcript);
            }
            long last = transcript.isEmpty() ? after : transcript.get(transcript.size() - 1).messageId();
            PollResult result = client.poll(session, last).get(30, TimeUnit.SECONDS);
            transcript.addAll(assertInstanceOf(PollResult.Polled.class, result).events());
        }
        return transcript;
    }

    private static long agentMessages(List<UpstreamEvent> events) {
        return events.stream().filter(e -> e instanceof UpstreamEvent.Message m && m.from() == UserType.AGENT).count();
    }

    @Test
    void joinsGreetsAndAnswersUntilAPersonTakesOver() throws Exception {
        UpstreamSession session = assertInstanceOf(StartResult.Started.class, client.start("demo-visitor",
                new ChatStart("Hi", "Dana", null, OptionalInt.empty())).get(30, TimeUnit.SECONDS)).session();

        List<UpstreamEvent> greeted = pollUntil(session, 0, events -> agentMessages(events) == 1);
        UpstreamEvent.AgentDetails ada = assertInstanceOf(UpstreamEvent.AgentDetails.class, greeted.get(0));
        assertEquals("Ada", ada.name());
        assertTrue(ada.avatarUrl().isPresent());
        assertEquals("Hi Dana, I'm Ada. How can I help?", ((UpstreamEvent.Message) greeted.get(1)).text());

        client.send(session, "Where is my order?").get(30, TimeUnit.SECONDS);
        List<UpstreamEvent> answered = pollUntil(session, greeted.get(1).messageId(),
                events -> agentMessages(events) == 1);
        assertEquals(UserType.VISITOR, ((UpstreamEvent.Message) answered.get(0)).from());
        assertTrue(((UpstreamEvent.Message) answered.get(1)).text().startsWith("Thanks for your message"));

        int chat = PARLEY.agent().chatNumberOf("Dana");
        assertEquals(true, PARLEY.agent().chat(chat).get("demo_agent"));
        PARLEY.agent().say(chat, "Sam here, I'll take it from here.");
        assertEquals(false, PARLEY.agent().chat(chat).get("demo_agent"), "a person's reply takes the chat over");
    }
}
