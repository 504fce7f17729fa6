package io.parley.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * A website on another origin that embeds Parley with the one script tag, under a strict
 * Content-Security-Policy: no inline script or style, scripts and frames only from itself and
 * Parley. {@code /queued} first loads {@code /queue.js}, which queues API calls before the widget
 * has loaded; {@code /plain} is the same page without the widget; {@code /after-load} adds the
 * widget's script from its own once the page has loaded, and {@code /plain-own-script} has that
 * own script without the widget; {@code /close-first} has its own script close the widget first.
 */
public final class HostSite implements AutoCloseable {

    private final Server server = new Server();
    private final URI uri;

    /** A site that embeds the widget of the Parley at {@code parley} (its origin, and its mount path if any). */
    public HostSite(URI parley, String widgetAttributes) throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        String parleyOrigin = parley.getScheme() + "://" + parley.getAuthority();
        String csp = "default-src 'self'; script-src 'self' " + parleyOrigin + "; frame-src " + parleyOrigin
                + "; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'";
        String widget = "<script src=\"" + parley.toString().replaceAll("/$", "") + "/widget.js\" async "
                + widgetAttributes + "></script>";
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                String type = "text/html;charset=utf-8";
                String body;
                if (path.equals("/close-first.js")) {
                    type = "text/javascript";
                    body = "window.Parley = window.Parley || { q: [] };\n"
                            + "window.Parley.q.push(['close']);\n"; // the site closes the widget before it loads
                } else if (path.equals("/own.js")) {
                    type = "text/javascript";
                    body = "window.siteReady = true;\n"; // a site's own script, with no chat in it
                } else if (path.equals("/after-load.js")) {
                    type = "text/javascript";
                    body = "addEventListener('load', function () {\n"
                            + "  var s = document.createElement('script');\n"
                            + "  s.src = '" + parley.toString().replaceAll("/$", "") + "/widget.js';\n"
                            + "  s.dataset.lang = 'en';\n"
                            + "  document.body.appendChild(s);\n"
                            + "});\n";
                } else if (path.equals("/queue.js")) {
                    type = "text/javascript";
                    body = "window.queued = [];\n"
                            + "window.Parley = window.Parley || { q: [] };\n"
                            + "window.Parley.q.push(['on', 'open', function () { window.queued.push('open'); }]);\n"
                            + "window.Parley.q.push(['on', 'ready', function () { window.queued.push('ready'); }]);\n"
                            + "window.Parley.q.push(['open']);\n";
                } else {
                    String queue = path.equals("/queued") ? "<script src=\"/queue.js\"></script>"
                            : path.equals("/close-first") ? "<script src=\"/close-first.js\"></script>" : "";
                    String embed = path.equals("/plain") ? "" // the same page without the chat
                            : path.equals("/plain-own-script") ? "<script src=\"/own.js\"></script>"
                            : path.equals("/after-load") ? "<script src=\"/after-load.js\"></script>" : widget;
                    body = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Host shop</title></head>"
                            + "<body><main><h1>A shop somewhere</h1><p>Nothing to see but the chat.</p></main>" + queue + embed
                            + "</body></html>";
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
                response.getHeaders().put("Content-Security-Policy", csp);
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        uri = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    public String url(String path) {
        return uri.resolve(path).toString();
    }

    @Override
    public void close() {
        LifeCycle.stop(server);
    }
}
