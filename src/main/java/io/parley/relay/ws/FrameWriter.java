package io.parley.relay.ws;

import io.parley.relay.RelayEvent;
import io.parley.relay.TabMessage;
import io.parley.upstream.AgentCard;
import io.parley.upstream.ChatEvent;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Writes what the relay tells a tab as the JSON frames of {@code docs/protocol.md}. */
final class FrameWriter {

    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{3,30}");

    private FrameWriter() {
    }

    static String write(TabMessage message) {
        Map<String, Object> frame = new LinkedHashMap<>();
        if (message instanceof TabMessage.Welcome welcome) {
            frame.put("type", "welcome");
            frame.put("token", welcome.token());
            status(frame, welcome.status());
            frame.put("last_seq", welcome.lastSeq());
            frame.put("snapshot", welcome.snapshot());
            List<Map<String, Object>> events = new ArrayList<>(welcome.events().size());
            welcome.events().forEach(event -> events.add(event(event)));
            frame.put("events", events);
            frame.put("capabilities", welcome.capabilities());
            putIfSet(frame, "online", welcome.online());
        } else if (message instanceof TabMessage.Event event) {
            frame = event(event.event());
        } else if (message instanceof TabMessage.Ack ack) {
            frame.put("type", "ack");
            frame.put("id", ack.clientId());
            frame.put("seq", ack.seq());
        } else if (message instanceof TabMessage.StatusChanged changed) {
            frame.put("type", "state");
            status(frame, changed.status());
        } else if (message instanceof TabMessage.Error error) {
            frame.put("type", "error");
            frame.put("code", error.code().code());
            frame.put("message", error.message());
            putIfSet(frame, "id", error.clientId());
            if (error.retryAfter() != null) {
                frame.put("retry_after", (error.retryAfter().toMillis() + 999) / 1000);
            }
        } else if (message instanceof TabMessage.Typing typing) {
            frame.put("type", "typing");
            frame.put("typing", typing.typing());
        } else if (message instanceof TabMessage.Seen seen) {
            frame.put("type", "seen");
            frame.put("seq", seen.seq());
        } else if (message instanceof TabMessage.Queue queue) {
            frame.put("type", "queue");
            frame.put("position", queue.position());
            if (queue.position() > 0 && queue.waitSeconds() > 0) {
                frame.put("wait", queue.waitSeconds());
            }
        } else if (message instanceof TabMessage.Availability availability) {
            frame.put("type", "availability");
            frame.put("online", availability.online());
        } else if (message instanceof TabMessage.Rated rated) {
            frame.put("type", "rating");
            frame.put("rating", rated.rating() == null ? null : rated.rating().score().label());
            if (rated.rating() != null) {
                putIfSet(frame, "comment", rated.rating().comment());
            }
        } else if (message instanceof TabMessage.Greeting greeting) {
            frame.put("type", "greeting");
            frame.put("id", greeting.id());
            frame.put("text", greeting.text());
            if (greeting.agent() != null) {
                frame.put("agent", agent(greeting.agent()));
            }
        } else if (message instanceof TabMessage.GreetingEnded ended) {
            frame.put("type", "greeting_end");
            frame.put("id", ended.id());
        } else if (message instanceof TabMessage.MessageLeft left) {
            frame.put("type", "left");
            frame.put("id", left.clientId());
        } else {
            frame.put("type", "pong");
        }
        return JSONB.toJson(frame);
    }

    private static void status(Map<String, Object> frame, TabMessage.Status status) {
        frame.put("state", status.state().label());
        if (status.closedBy() != null) {
            frame.put("closed_by", status.closedBy().label());
        }
        frame.put("reachable", status.reachable());
        if (status.agent() != null) {
            frame.put("agent", agent(status.agent()));
        }
    }

    private static Map<String, Object> event(RelayEvent event) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "event");
        frame.put("seq", event.seq());
        frame.put("time", event.time().toEpochMilli());
        if (event instanceof RelayEvent.Said said) {
            frame.put("kind", "message");
            frame.put("from", said.from());
            frame.put("text", said.text());
            putIfSet(frame, "id", said.clientId());
        } else if (event instanceof RelayEvent.AgentJoined joined) {
            frame.put("kind", "agent");
            frame.put("agent", agent(joined.agent()));
        } else if (event instanceof RelayEvent.Closed closed) {
            frame.put("kind", "closed");
            frame.put("by", closed.by().label());
        } else if (event instanceof RelayEvent.Shared file) {
            frame.put("kind", "file");
            frame.put("from", file.from());
            // Parley's URL of the file, relative to the chat page: never the upstream's
            putIfSet(frame, "url", file.fileId() == null ? null : "files/" + file.fileId());
            putIfSet(frame, "name", file.name());
            putIfSet(frame, "content_type", file.contentType());
            if (file.size() >= 0) {
                frame.put("size", file.size());
            }
            putIfSet(frame, "id", file.clientId());
        } else if (event instanceof RelayEvent.Rich rich) {
            frame.put("kind", "rich");
            frame.put("from", rich.from());
            frame.put("template", rich.template());
            List<Map<String, Object>> elements = new ArrayList<>();
            for (int i = 0; i < rich.elements().size(); i++) {
                elements.add(element(rich.elements().get(i), rich.fileId() == null ? null : rich.fileId() + "." + i));
            }
            frame.put("elements", elements);
        } else if (event instanceof RelayEvent.Notice notice) {
            frame.put("kind", "notice");
            frame.put("upstream_type", notice.upstreamType());
        }
        return frame;
    }

    /** An element of a rich message: its buttons by place, URLs only http(s), phone numbers only digits. */
    private static Map<String, Object> element(ChatEvent.RichElement element, String imageId) {
        Map<String, Object> json = new LinkedHashMap<>();
        putIfSet(json, "title", element.title());
        putIfSet(json, "subtitle", element.subtitle());
        if (element.imageUrl() != null && imageId != null) {
            json.put("image", "files/" + imageId);
            putIfSet(json, "image_alt", element.imageAlt());
        }
        List<Map<String, Object>> buttons = new ArrayList<>();
        for (ChatEvent.RichButton button : element.buttons()) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("text", button.text() == null ? "" : button.text());
            String type = button.type() == null ? "message" : button.type();
            String value = button.value();
            if ((type.equals("url") || type.equals("webview")) && value != null && httpUrl(value)) {
                shown.put("type", "url");
                shown.put("value", value);
            } else if (type.equals("phone") && value != null && PHONE.matcher(value).matches()) {
                shown.put("type", "phone");
                shown.put("value", value);
            } else {
                shown.put("type", "message");
            }
            shown.put("postback", button.postbackId() != null);
            buttons.add(shown);
        }
        json.put("buttons", buttons);
        return json;
    }

    private static boolean httpUrl(String value) {
        String lower = value.strip().toLowerCase(Locale.ROOT);
        return (lower.startsWith("https://") || lower.startsWith("http://")) && value.length() <= 2048;
    }

    private static Map<String, Object> agent(AgentCard agent) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", agent.name());
        putIfSet(json, "job_title", agent.jobTitle());
        putIfSet(json, "avatar", agent.avatarUrl());
        return json;
    }

    private static void putIfSet(Map<String, Object> json, String key, Object value) {
        if (value != null) {
            json.put(key, value);
        }
    }
}
