package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Http;
import io.parley.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The page-weight budget, measured on what the server really serves and printed by the build:
 * widget.js at most 3 KB gzipped, everything the chat page loads at most 25 KB gzipped.
 */
class PageWeightTest {

    static final int WIDGET_BUDGET = 3 * 1024;
    static final int CHAT_PAGE_BUDGET = 25 * 1024;

    @Test
    void widgetAndChatPageStayWithinTheirBudgets() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            int widget = gzipped(fetch(server, "/widget.js"));
            Map<String, Integer> page = new LinkedHashMap<>();
            for (String path : new String[] {"/chat", "/assets/chat.js", "/assets/chat.css"}) {
                page.put(path, gzipped(fetch(server, path)));
            }
            int chatPage = page.values().stream().mapToInt(Integer::intValue).sum();

            System.out.printf("Page weight: widget.js %,d bytes gzipped (budget %,d)%n", widget, WIDGET_BUDGET);
            System.out.printf("Page weight: chat page %,d bytes gzipped (budget %,d): %s%n", chatPage, CHAT_PAGE_BUDGET, page);
            assertTrue(widget <= WIDGET_BUDGET, "widget.js is " + widget + " bytes gzipped");
            assertTrue(chatPage <= CHAT_PAGE_BUDGET, "the chat page loads " + chatPage + " bytes gzipped");
        }
    }

    private static String fetch(TestServer server, String path) throws Exception {
        Http.Answer answer = Http.get(server.uri(path));
        assertEquals(200, answer.status(), path);
        return answer.body();
    }

    private static int gzipped(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.size();
    }
}
