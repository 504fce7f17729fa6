package io.parley.relay;

import io.parley.upstream.OfflineMessage;
import java.util.OptionalInt;

/**
 * What one tab can do once it has said hello: act on its visitor's conversation, then leave.
 * Input is expected validated by the caller (lengths, types); the conversation enforces state.
 */
public final class TabHandle {

    private final Relay relay;
    private final Tab tab;
    private final Conversation conversation;

    TabHandle(Relay relay, Tab tab, Conversation conversation) {
        this.relay = relay;
        this.tab = tab;
        this.conversation = conversation;
    }

    /** Starts a chat with the visitor's first message, which is acknowledged like any send. */
    public void start(String clientId, String text, String name, String email, OptionalInt group, String clientIp) {
        relay.start(tab, conversation, clientId, text, name, email, group, clientIp);
    }

    /** Leaves a message for later while nobody can chat; the tab hears when it was taken. */
    public void leaveMessage(OfflineMessage message, String clientIp) {
        relay.leaveMessage(tab, conversation, message, clientIp);
    }

    /** Sends a visitor's message; a repeated client id is acknowledged again and not sent again. */
    public void send(String clientId, String text) {
        relay.send(tab, conversation, clientId, text);
    }

    /** The visitor's draft as they type (blank once the composer is emptied), for the agent; spaced out. */
    public void typing(String draft) {
        relay.typing(conversation, draft);
    }

    /** The tab showed the visitor the chat up to event {@code seq}; the upstream is told, spaced out. */
    public void seen(long seq) {
        relay.seen(conversation, seq);
    }

    /** The visitor chose button {@code button} of element {@code element} of the rich message numbered {@code seq}. */
    public void postback(long seq, int element, int button) {
        relay.postback(tab, conversation, seq, element, button);
    }

    /** The visitor rates the chat that ended, or changes or takes back their rating ({@code Capability#RATING}). */
    public void rate(io.parley.upstream.Rating rating) {
        relay.rate(tab, conversation, rating);
    }

    /** The page the visitor is on in this tab: an http(s) address of the tab's site, and its title or null. */
    public void visitorPage(String url, String title) {
        relay.visitorPage(conversation, url, title);
    }

    /** The visitor opened ({@code accepted}) or dismissed the greeting with this id. */
    public void answerGreeting(String id, boolean accepted) {
        relay.answerGreeting(conversation, id, accepted);
    }

    /** The visitor ends the chat. */
    public void close() {
        relay.close(tab, conversation);
    }

    /** The tab is gone; the conversation lives on for the grace period. */
    public void leave() {
        relay.detach(tab, conversation);
    }

    /** The conversation's id for log lines. */
    public String logId() {
        return conversation.logId();
    }
}
