package io.parley.widget;

import io.parley.origins.AllowedOrigins;
import io.parley.pages.PageRenderer;
import io.parley.relay.ErrorCode;
import io.parley.settings.Settings;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The chat page at {@code /chat}, what {@code widget.js} shows in its iframe (or a page of its
 * own when opened directly). Query parameters, all optional and all checked: {@code lang},
 * {@code origin} (the embedding page's origin, for postMessage), {@code title}, {@code color}
 * ({@code #rgb} or {@code #rrggbb}) and {@code group}.
 *
 * <pre>
 * curl -i 'http://localhost:8080/chat?lang=de'
 * </pre>
 */
public final class ChatPageServlet extends HttpServlet {

    /**
     * The strings chat.js needs, rendered into the page in its language: among them one for
     * each error code, so that no error reaches a visitor in the server's English.
     */
    static final List<String> SCRIPT_STRINGS = Stream.concat(Stream.of(
            "header.minimize",
            "typing.agent",
            "seen.mark",
            "queue.place",
            "queue.place.unknown",
            "header.mute",
            "header.unmute",
            "composer.label",
            "composer.send",
            "composer.counter",
            "prechat.email.invalid",
            "prechat.message.missing",
            "state.connecting",
            "state.reconnecting",
            "state.unavailable",
            "state.busy",
            "state.banned",
            "state.starting",
            "state.waiting",
            "state.closed",
            "msg.pending",
            "msg.failed",
            "notice.agent",
            "notice.closed.visitor",
            "notice.closed.agent",
            "notice.closed.timeout",
            "notice.closed.upstream",
            "notice.file",
            "notice.other",
            "unread.marker",
            "announce.message",
            "preview.dismiss",
            "who.visitor",
            "who.agent",
            "error.generic",
            "transcript.title",
            "offline.sending",
            "offline.email.missing",
            "file.uploading",
            "file.image",
            "rich.choices",
            "rating.thanks"),
            Arrays.stream(ErrorCode.values()).map(code -> "error." + code.code())).toList();

    private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?");
    private static final Pattern GROUP = Pattern.compile("\\d{1,9}");

    private final transient Settings settings;
    private final transient PageRenderer pages;
    private final transient AllowedOrigins ancestors;
    private final transient Map<String, String> assetVersions;

    /** @param assetVersions the versions of {@code chat.js} and {@code chat.css}, which the page links by */
    public ChatPageServlet(Settings settings, PageRenderer pages, Map<String, String> assetVersions) {
        this.settings = settings;
        this.assetVersions = Map.copyOf(assetVersions);
        this.pages = pages;
        this.ancestors = new AllowedOrigins(settings);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String language = ChatLanguages.choose(request.getParameter("lang"), Collections.list(request.getLocales()));
        String origin = request.getParameter("origin");
        Map<String, Object> page = new HashMap<>();
        page.put("lang", language);
        page.put("dir", ChatLanguages.rightToLeft(language) ? "rtl" : "ltr");
        page.put("origin", ancestors.allows(origin) ? origin : "");
        page.put("title", limited(request.getParameter("title"), 60));
        page.put("color", matching(request.getParameter("color"), COLOR));
        page.put("group", matching(request.getParameter("group"), GROUP));
        String theme = request.getParameter("theme");
        page.put("theme", "dark".equals(theme) || "light".equals(theme) ? theme : "");
        page.put("maxLength", settings.maxMessageLength());
        page.put("sharePage", settings.shareVisitorPage());
        page.put("strings", SCRIPT_STRINGS);
        page.put("scriptVersion", assetVersions.get("chat.js"));
        page.put("styleVersion", assetVersions.get("chat.css"));
        page.put("moreVersion", assetVersions.getOrDefault("more.js", ""));
        page.put("uploadTypes", String.join(",", settings.uploadTypes()));
        page.put("greeting", settings.greeting(language).orElse(null));
        page.put("promise", settings.answerTime(language).orElse(null));

        response.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' https: http: data: blob:; connect-src 'self'; media-src 'none'; base-uri 'none'; "
                + "form-action 'none'; frame-ancestors " + ancestors.frameAncestors());
        response.setHeader("Referrer-Policy", "no-referrer");
        pages.render(request, response, "chat", page, Locale.forLanguageTag(language));
    }

    private static String limited(String value, int max) {
        if (value == null || value.isBlank()) {
            return "";
        }
        String text = value.strip();
        return text.length() > max ? text.substring(0, max) : text;
    }

    private static String matching(String value, Pattern pattern) {
        return value != null && pattern.matcher(value).matches() ? value : "";
    }
}
