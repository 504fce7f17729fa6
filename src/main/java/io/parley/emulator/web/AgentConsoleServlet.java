package io.parley.emulator.web;

import io.parley.emulator.ApiError;
import io.parley.emulator.EmulatedChat;
import io.parley.emulator.EmulatedUpstream;
import io.parley.emulator.v3.Groups;
import io.parley.pages.PageRenderer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent console at {@code /emulator/agent}: the list of chats, and for each a transcript
 * with reply, close and ban, and for v3 chats a seen mark, a place in the queue and the
 * visitor's draft. Plain forms that work without script; {@code console.js} keeps the
 * pages live through the agent API.
 */
public final class AgentConsoleServlet extends HttpServlet {

    private static final Pattern CHAT_PATH = Pattern.compile("/chats/(\\d{1,9})(?:/(reply|close|ban|seen|queue|share|card|greeting))?");

    private static final Pattern GROUP_PATH = Pattern.compile("/groups/(\\d{1,9})/status");

    private final transient EmulatedUpstream upstream;
    private final transient PageRenderer pages;
    private final transient Groups groups;

    public AgentConsoleServlet(EmulatedUpstream upstream, PageRenderer pages) {
        this(upstream, pages, new Groups((group, status) -> { }));
    }

    /** @param groups the v3 groups, whose status the console sets (whether anyone is online to chat) */
    public AgentConsoleServlet(EmulatedUpstream upstream, PageRenderer pages, Groups groups) {
        this.upstream = upstream;
        this.pages = pages;
        this.groups = groups;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        if (path.equals("/")) {
            pages.render(request, response, "emulator/console", Map.of("chats", upstream.chats(),
                    "groups", groups.all()));
            return;
        }
        Matcher matcher = CHAT_PATH.matcher(path);
        Optional<EmulatedChat> chat = matcher.matches() && matcher.group(2) == null
                ? upstream.chat(Integer.parseInt(matcher.group(1))) : Optional.empty();
        if (chat.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such chat");
            return;
        }
        pages.render(request, response, "emulator/chat", Map.of("chat", chat.get(), "events", chat.get().events()));
    }

    /** A small whole number from a form, or the fallback when it is not one. */
    private static int number(String value, int min, int fallback) {
        return value != null && value.matches("\\d{1,5}") && Integer.parseInt(value) >= min ? Integer.parseInt(value) : fallback;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Matcher group = GROUP_PATH.matcher(request.getPathInfo() == null ? "" : request.getPathInfo());
        if (group.matches()) {
            String status = request.getParameter("status");
            if (status == null || !Groups.STATUSES.contains(status)) {
                response.sendError(HttpServletResponse.SC_BAD_REQUEST, "status must be online, online_for_queue or offline");
                return;
            }
            groups.set(Integer.parseInt(group.group(1)), status);
            response.sendRedirect(request.getContextPath() + request.getServletPath() + "/");
            return;
        }
        Matcher matcher = CHAT_PATH.matcher(request.getPathInfo() == null ? "" : request.getPathInfo());
        Optional<EmulatedChat> chat = matcher.matches() && matcher.group(2) != null
                ? upstream.chat(Integer.parseInt(matcher.group(1))) : Optional.empty();
        if (chat.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such chat");
            return;
        }
        int number = chat.get().number();
        try {
            switch (matcher.group(2)) {
                case "reply":
                    String text = request.getParameter("text");
                    if (text != null && !text.isBlank()) {
                        upstream.replyAsPerson(number, text);
                    }
                    break;
                case "close":
                    upstream.closeAsAgent(number);
                    break;
                case "seen":
                    upstream.seen(number);
                    break;
                case "greeting":
                    String greeting = request.getParameter("text");
                    if (greeting != null && !greeting.isBlank()) {
                        upstream.greet(number, greeting.strip());
                    }
                    break;
                case "queue":
                    upstream.queue(number, number(request.getParameter("position"), 1, 1),
                            number(request.getParameter("wait_time"), 0, 0));
                    break;
                case "share":
                    AgentShares.image(upstream, chat.get());
                    break;
                case "card":
                    AgentShares.rich(upstream, chat.get(), "cards", "How can we help?", "Choose a topic",
                            "Billing,Delivery", "https://example.com/help", true);
                    break;
                default:
                    if (!"yes".equals(request.getParameter("confirm"))) {
                        // A ban cannot be taken back: the agent is asked first, without script.
                        pages.render(request, response, "emulator/ban", Map.of("chat", chat.get()));
                        return;
                    }
                    upstream.ban(number);
            }
        } catch (ApiError e) {
            // The chat closed meanwhile (the page shows it as closed), or is not one that can do this.
        }
        response.sendRedirect(request.getContextPath() + request.getServletPath() + "/chats/" + number);
    }
}
