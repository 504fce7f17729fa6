package io.parley.pages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Http;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import io.parley.testing.RunningParley;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AssetServletTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of());

    @Test
    void assetsAreRevalidatedByTheirTag() throws Exception {
        Http.Answer widget = Http.get(PARLEY.server().uri("/widget.js"));
        assertEquals(200, widget.status());
        assertEquals("text/javascript;charset=UTF-8", widget.contentType().replace(" ", ""));
        assertEquals("no-cache", widget.header("Cache-Control"));
        assertEquals("nosniff", widget.header("X-Content-Type-Options"));
        String etag = widget.header("ETag");
        assertTrue(etag.matches("\"[A-Za-z0-9_-]{16}\""), etag);

        Http.Answer unchanged = Http.get(PARLEY.server().uri("/widget.js"), "If-None-Match", "\"other\", " + etag);
        assertEquals(304, unchanged.status());
        assertEquals("", unchanged.body());
        assertEquals(200, Http.get(PARLEY.server().uri("/widget.js"), "If-None-Match", "\"other\"").status());

        Http.Answer css = Http.get(PARLEY.server().uri("/assets/chat.css"));
        assertEquals("text/css;charset=UTF-8", css.contentType().replace(" ", ""));
        assertTrue(!css.header("ETag").equals(etag), "each file has its own tag");
    }

    @Test
    void scriptsAreServedWithoutIndentationAndCommentLinesButMeanTheSame() throws Exception {
        assertEquals("var a = 1; // kept: not a whole line\nif (a) {\nb('x');\n}\n",
                AssetServlet.compact("// a comment line\n  var a = 1; // kept: not a whole line\n\n  if (a) {\n"
                        + "    // another\n    b('x');\n  }\n"));
        String template = "var t = `\n  // inside a template\n`;\n";
        assertEquals(template, AssetServlet.compact(template), "a line break inside a string: left whole");
        String continued = "var s = 'a\\\n  // inside a string';\n";
        assertEquals(continued, AssetServlet.compact(continued));

        String widget = Http.get(PARLEY.server().uri("/widget.js")).body();
        assertTrue(widget.lines().noneMatch(line -> line.startsWith(" ") || line.startsWith("//") || line.isEmpty()));
        assertTrue(widget.contains("w.Parley = api;"), "the script itself is all there");
    }

    @Test
    void filesAreGzippedForWhoAcceptsItAndAVersionedAddressIsCachedForGood() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI script = PARLEY.server().uri("/assets/chat.js");
        HttpResponse<byte[]> plain = client.send(HttpRequest.newBuilder(script).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> gzipped = client.send(HttpRequest.newBuilder(script).header("Accept-Encoding", "br, gzip")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(""));
        assertEquals("Accept-Encoding", gzipped.headers().firstValue("Vary").orElse(""));
        assertTrue(gzipped.body().length < plain.body().length / 2, gzipped.body().length + " of " + plain.body().length);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes(), "the same file");
        }
        String plainTag = plain.headers().firstValue("ETag").orElseThrow();
        String gzipTag = gzipped.headers().firstValue("ETag").orElseThrow();
        assertTrue(!plainTag.equals(gzipTag) && !gzipTag.startsWith("W/"), "a strong tag per representation");
        assertEquals(304, client.send(HttpRequest.newBuilder(script).header("Accept-Encoding", "gzip")
                .header("If-None-Match", gzipTag).build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode());
        assertEquals("", client.send(HttpRequest.newBuilder(script).header("Accept-Encoding", "gzip;q=0").build(),
                HttpResponse.BodyHandlers.ofByteArray()).headers().firstValue("Content-Encoding").orElse(""));

        String page = Http.get(PARLEY.server().uri("/chat")).body();
        Matcher linked = Pattern.compile("src=\"(/assets/chat\\.js\\?v=[A-Za-z0-9_-]+)\"").matcher(page);
        assertTrue(linked.find(), "the chat page links its script by version");
        assertEquals("public, max-age=31536000, immutable",
                Http.get(PARLEY.server().uri(linked.group(1))).header("Cache-Control"));
        assertEquals("no-cache", Http.get(PARLEY.server().uri("/assets/chat.js?v=old")).header("Cache-Control"),
                "another version's address is revalidated");
        assertEquals("no-cache", Http.get(PARLEY.server().uri("/widget.js")).header("Cache-Control"),
                "widget.js keeps its address, so it is revalidated, cheaply");
    }

    @Test
    void onlyTheListedFilesExist() throws Exception {
        for (String path : new String[] {"/assets/nope.js", "/assets/", "/assets/..%2FWEB-INF%2Fweb.xml",
                "/assets/%2e%2e/logback.xml", "/emulator/assets/../../templates/chat.html", "/widget.js/x"}) {
            int status = Http.get(PARLEY.server().uri(path)).status();
            assertTrue(status == 404 || status == 400, path + " answered " + status);
        }
    }
}
