package io.parley.emulator.web;

import io.parley.emulator.ApiError;
import io.parley.emulator.EmulatedChat;
import io.parley.emulator.EmulatedUpstream;
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
 * with reply, close and ban. Plain forms that work without script; {@code console.js} keeps the
 * pages live through the agent API.
 */
public final class AgentConsoleServlet extends HttpServlet {

    private static final Pattern CHAT_PATH = Pattern.compile("/chats/(\\d{1,9})(?:/(reply|close|ban|share|card))?");

    private final transient EmulatedUpstream upstream;
    private final transient PageRenderer pages;

    public AgentConsoleServlet(EmulatedUpstream upstream, PageRenderer pages) {
        this.upstream = upstream;
        this.pages = pages;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        if (path.equals("/")) {
            pages.render(request, response, "emulator/console", Map.of("chats", upstream.chats()));
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

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
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
            // The chat closed meanwhile: the page shows it as closed.
        }
        response.sendRedirect(request.getContextPath() + request.getServletPath() + "/chats/" + number);
    }
}
