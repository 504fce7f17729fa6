package io.parley.emulator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent that needs nobody at the console: it joins each new chat after a short delay, greets
 * the visitor and answers every message, until a person replies from the console and takes over.
 */
public final class DemoAgent implements ChatListener {

    private static final Logger LOG = LoggerFactory.getLogger(DemoAgent.class);

    private static final List<String> ANSWERS = List.of(
            "Thanks for your message! Let me look into that for you.",
            "Good question. In this demo I answer by myself, but a person can take over any time "
                    + "from the agent console at /emulator/agent.",
            "Noted. Is there anything else I can help you with?",
            "I'm an emulated agent, so my knowledge is limited; try replying from the agent console "
                    + "to see a person's answer arrive here.");

    private final EmulatedUpstream upstream;
    private final ScheduledExecutorService scheduler;
    private final Duration delay;

    public DemoAgent(EmulatedUpstream upstream, ScheduledExecutorService scheduler, Duration delay) {
        this.upstream = upstream;
        this.scheduler = scheduler;
        this.delay = delay;
    }


    @Override
    public void chatStarted(EmulatedChat chat) {
        if (chat.demoAgentActive()) {
            later(chat, () -> {
                upstream.join(chat.number(), AgentProfile.demo(chat.siteUrl()), false);
                upstream.sendAsDemoAgent(chat.number(), "Hi " + chat.visitorName() + ", I'm Ada. How can I help?");
            });
        }
    }

    @Override
    public void visitorWrote(EmulatedChat chat) {
        if (chat.demoAgentActive()) {
            later(chat, () -> {
                if (chat.state() == ChatState.CHATTING) {
                    int answered = (int) chat.events().stream()
                            .filter(event -> "agent".equals(event.userType()) && "message".equals(event.type()))
                            .count();
                    upstream.sendAsDemoAgent(chat.number(), ANSWERS.get(Math.max(0, answered - 1) % ANSWERS.size()));
                }
            });
        }
    }

    private void later(EmulatedChat chat, Runnable action) {
        scheduler.schedule(() -> {
            if (!chat.demoAgentActive()) {
                return; // a person took over, or the chat closed, meanwhile
            }
            try {
                action.run();
            } catch (ApiError e) {
                LOG.debug("Demo agent skipped chat {}: {}", chat.number(), e.getMessage());
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
