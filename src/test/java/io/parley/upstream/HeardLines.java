package io.parley.upstream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** What an adapter reported to its listener, one line each, and how many writes it asked for. */
public final class HeardLines implements UpstreamChat.Listener {

    /** The id the adapter gave the last greeting it reported. */
    public volatile String lastGreetingId;

    public final List<String> lines = new ArrayList<>();
    public int changes;
    private final Supplier<Instant> lastActivity;

    /** @param lastActivity what the visitor's presence says of the last message: now keeps polls at the fast pace */
    public HeardLines(Supplier<Instant> lastActivity) {
        this.lastActivity = lastActivity;
    }

    @Override
    public void started() {
        lines.add("started");
    }

    @Override
    public void refused(UpstreamChat.Refusal why) {
        lines.add("refused " + why);
    }

    @Override
    public void reachable(boolean reachable) {
        lines.add("reachable " + reachable);
    }

    @Override
    public void received(ChatEvent event) {
        if (event instanceof ChatEvent.Message message) {
            lines.add(message.from().label() + ": " + message.text());
        } else if (event instanceof ChatEvent.AgentJoined joined) {
            lines.add("joined " + joined.agent().name());
        } else if (event instanceof ChatEvent.AgentLeft left) {
            lines.add("left " + left.agent().name());
        } else if (event instanceof ChatEvent.Notice notice) {
            lines.add("notice " + notice.type());
        } else if (event instanceof ChatEvent.Typing typing) {
            lines.add("typing " + typing.typing());
        } else if (event instanceof ChatEvent.Seen seen) {
            lines.add("seen " + seen.upTo());
        } else if (event instanceof ChatEvent.QueuePosition place) {
            lines.add("queue " + place.position() + " " + place.waitSeconds());
        } else if (event instanceof ChatEvent.RichMessage rich) {
            lines.add("rich " + rich.template() + " [" + rich.ref() + "] " + rich.elements().stream()
                    .map(e -> e.title() + ":" + e.buttons().stream().map(b -> b.text() + "=" + b.postbackId()).toList())
                    .toList());
        } else if (event instanceof ChatEvent.File file) {
            lines.add("file " + file.from().label() + " " + file.name() + " " + file.contentType() + " " + file.url());
        } else if (event instanceof ChatEvent.Greeting greeting) {
            lastGreetingId = greeting.id();
            lines.add("greeting " + (greeting.agent() == null ? "" : greeting.agent().name() + ": ") + greeting.text());
        } else if (event instanceof ChatEvent.Availability availability) {
            lines.add("online " + availability.online());
        } else {
            lines.add(event.getClass().getSimpleName());
        }
    }

    @Override
    public void fileDelivered(String clientId, String url) {
        lines.add("file delivered " + clientId + " at " + url);
    }

    @Override
    public void delivered(String clientId) {
        lines.add("delivered " + clientId);
    }

    @Override
    public void notDelivered(String clientId, UpstreamChat.Undelivered why) {
        lines.add("not delivered " + clientId + " " + why);
    }

    @Override
    public void messageLeft(String clientId, boolean left) {
        lines.add((left ? "left " : "not left ") + clientId);
    }

    @Override
    public void ended(ClosedBy by, Instant at) {
        lines.add("ended " + by);
    }

    @Override
    public void changed() {
        changes++;
    }

    @Override
    public UpstreamChat.Presence presence() {
        return new UpstreamChat.Presence(true, lastActivity.get());
    }

    /** The lines heard since last asked. */
    public List<String> take() {
        List<String> taken = List.copyOf(lines);
        lines.clear();
        return taken;
    }
}
