package io.parley.testing;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The emulator's agent API (/emulator/agent/api) as tests use it. */
public final class AgentApi {

    private final URI api;

    public AgentApi(TestServer server) {
        this(server.emulatorUri());
    }

    /** The agent API of the emulator at this address, e.g. {@code http://127.0.0.1:8080/emulator}. */
    public AgentApi(URI emulator) {
        this.api = URI.create(emulator + "/agent/api/");
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> chats() throws Exception {
        return (List<Map<String, Object>>) Http.get(api.resolve("chats")).json();
    }

    /** The console number of the newest chat whose visitor has this name. */
    public int chatNumberOf(String visitorName) throws Exception {
        return chats().stream().filter(chat -> visitorName.equals(chat.get("name")))
                .map(chat -> ((BigDecimal) chat.get("id")).intValueExact())
                .findFirst().orElseThrow(() -> new AssertionError("no chat for visitor " + visitorName));
    }

    /** Waits, by asking again, until this visitor's chat exists upstream; fails after ten seconds. */
    /**
     * The console number of this visitor's v3 chat once its customer is logged in over RTM: the
     * agent API lists a chat as soon as it exists, and its v3 side is bound a moment later.
     */
    public int awaitLiveChat(String visitorName) throws Exception {
        int chat = awaitChatNumberOf(visitorName);
        awaitChat(chat, Duration.ofSeconds(30), shown -> Boolean.TRUE.equals(shown.get("rtm_logged_in")));
        return chat;
    }

    public int awaitChatNumberOf(String visitorName) throws Exception {
        Instant deadline = Instant.now().plus(Eventually.DEADLINE);
        while (true) {
            try {
                return chatNumberOf(visitorName);
            } catch (AssertionError notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw notYet;
                }
                Thread.onSpinWait();
            }
        }
    }

    public Map<String, Object> chat(int number) throws Exception {
        return Http.get(api.resolve("chats/" + number)).object();
    }

    public Http.Answer say(int number, String text) throws Exception {
        return Http.post(api.resolve("chats/" + number + "/messages"), Http.form("text", text));
    }

    public Http.Answer join(int number, String name) throws Exception {
        return Http.post(api.resolve("chats/" + number + "/join"), Http.form("name", name));
    }

    public Http.Answer event(int number, String type) throws Exception {
        return Http.post(api.resolve("chats/" + number + "/events"), Http.form("type", type));
    }

    /** The agent starts or stops typing (v3). */
    public Http.Answer typing(int number, boolean typing) throws Exception {
        return Http.post(api.resolve("chats/" + number + "/typing"), Http.form("is_typing", String.valueOf(typing)));
    }

    /** The agent marks the visitor's messages seen, up to now (v3). */
    public Http.Answer seen(int number) throws Exception {
        return Http.post(api.resolve("chats/" + number + "/seen"), Map.of());
    }

    /** Puts the chat in the queue at this place, with this wait in seconds, until an agent joins (v3). */
    public Http.Answer queue(int number, int position, int waitSeconds) throws Exception {
        return Http.post(api.resolve("chats/" + number + "/queue"),
                Http.form("position", String.valueOf(position), "wait_time", String.valueOf(waitSeconds)));
    }

    /** The agent shares the emulator's sample image (v3). */
    public Http.Answer shareImage(int number) throws Exception {
        return Http.post(api.resolve("chats/" + number + "/files"), Map.of());
    }

    /** The agent sends a rich message: {@code template}, {@code title}, {@code buttons} (comma-separated), {@code url}, {@code image}. */
    public Http.Answer rich(int number, String... pairs) throws Exception {
        return Http.post(api.resolve("chats/" + number + "/rich"), Http.form(pairs));
    }

    /** An agent greets the chat's visitor, between chats (v3 chats only). */
    public Http.Answer greet(int number, String text) throws Exception {
        return Http.post(api.resolve("chats/" + number + "/greeting"), Map.of("text", text));
    }

    public Http.Answer close(int number) throws Exception {
        return Http.post(api.resolve("chats/" + number + "/close"), Map.of());
    }

    public Http.Answer ban(int number) throws Exception {
        return Http.post(api.resolve("chats/" + number + "/ban"), Map.of());
    }

    public Http.Answer faults(String... pairs) throws Exception {
        return Http.post(api.resolve("faults"), Http.form(pairs));
    }

    /** Forgets every chat, ban, count and fault, as an emulator that restarted would. */
    public Http.Answer reset() throws Exception {
        return Http.post(api.resolve("reset"), Map.of());
    }

    /** Sets a group's status (v3): {@code online}, {@code offline} or {@code online_for_queue}. */
    public Http.Answer groupStatus(int group, String status) throws Exception {
        return Http.post(api.resolve("groups/" + group + "/status"), Map.of("status", status));
    }

    /** Drops every RTM socket at once, with no push first (v3). */
    public Http.Answer dropSockets() throws Exception {
        return Http.post(api.resolve("rtm/drop"), Map.of());
    }

    public Http.Answer clearFaults() throws Exception {
        return Http.delete(api.resolve("faults"));
    }

    public long calls(String call) throws Exception {
        Object count = Http.get(api.resolve("calls")).object().get(call);
        return count == null ? 0 : ((BigDecimal) count).longValueExact();
    }

    /** Waits, by asking again, until the chat satisfies the condition; fails after the timeout. */
    public Map<String, Object> awaitChat(int number, Duration timeout, Predicate<Map<String, Object>> condition)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Object> chat = chat(number);
        while (!condition.test(chat)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("chat " + number + " did not reach the expected state: " + chat);
            }
            chat = chat(number);
        }
        return chat;
    }

    /** The visitor's messages in a chat as the agent API shows it, in order. */
    @SuppressWarnings("unchecked")
    public static List<String> visitorTexts(Map<String, Object> chat) {
        return ((List<Map<String, Object>>) chat.get("events")).stream()
                .filter(e -> "visitor".equals(e.get("user_type")) && "message".equals(e.get("type")))
                .map(e -> (String) e.get("text")).toList();
    }
}
