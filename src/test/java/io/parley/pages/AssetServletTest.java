package io.parley.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Http;
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
    void onlyTheListedFilesExist() throws Exception {
        for (String path : new String[] {"/assets/nope.js", "/assets/", "/assets/..%2FWEB-INF%2Fweb.xml",
                "/assets/%2e%2e/logback.xml", "/emulator/assets/../../templates/chat.html", "/widget.js/x"}) {
            int status = Http.get(PARLEY.server().uri(path)).status();
            assertTrue(status == 404 || status == 400, path + " answered " + status);
        }
    }
}
