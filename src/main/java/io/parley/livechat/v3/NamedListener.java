package io.parley.livechat.v3;

import io.parley.logs.ConversationLog;
import io.parley.upstream.ChatEvent;
import io.parley.upstream.ClosedBy;
import io.parley.upstream.UpstreamChat;
import java.time.Instant;

/**
 * A chat's listener told with the conversation named in the logging context: v3's answers and
 * pushes arrive on the transports' threads, and what the relay logs on hearing them must name
 * the conversation as it does for every other line.
 */
final class NamedListener implements UpstreamChat.Listener {

    private final String logId;
    private final UpstreamChat.Listener listener;

    NamedListener(String logId, UpstreamChat.Listener listener) {
        this.logId = logId;
        this.listener = listener;
    }

    @Override
    public void started() {
        ConversationLog.run(logId, listener::started);
    }

    @Override
    public void refused(UpstreamChat.Refusal why) {
        ConversationLog.run(logId, () -> listener.refused(why));
    }

    @Override
    public void reachable(boolean reachable) {
        ConversationLog.run(logId, () -> listener.reachable(reachable));
    }

    @Override
    public void received(ChatEvent event) {
        ConversationLog.run(logId, () -> listener.received(event));
    }

    @Override
    public void delivered(String clientId) {
        ConversationLog.run(logId, () -> listener.delivered(clientId));
    }

    @Override
    public void fileDelivered(String clientId, String url) {
        ConversationLog.run(logId, () -> listener.fileDelivered(clientId, url));
    }

    @Override
    public void notDelivered(String clientId, UpstreamChat.Undelivered why) {
        ConversationLog.run(logId, () -> listener.notDelivered(clientId, why));
    }

    @Override
    public void messageLeft(String clientId, boolean left) {
        ConversationLog.run(logId, () -> listener.messageLeft(clientId, left));
    }

    @Override
    public void ended(ClosedBy by, Instant at) {
        ConversationLog.run(logId, () -> listener.ended(by, at));
    }

    @Override
    public void changed() {
        ConversationLog.run(logId, listener::changed);
    }

    @Override
    public UpstreamChat.Presence presence() {
        return listener.presence();
    }
}
