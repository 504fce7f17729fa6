package io.parley.files;

import io.parley.relay.Conversation;
import io.parley.relay.Relay;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every file shared in a chat, at {@code GET /files/<id>}: the id is Parley's own, unguessable
 * (128 random bits), given only to the tabs of the conversation that holds the file; it is the
 * capability, as {@code <img>} cannot send a token.
 *
 * <p>A file the upstream keeps is proxied, not redirected to: the browser never talks to
 * LiveChat (whose file URLs carry the account's ids), and only URLs of LiveChat's file hosts, or
 * of the API's own host, are fetched, without following redirects, so that no link in an event
 * makes Parley fetch from elsewhere. Bytes stream through a small buffer, at most
 * {@link UploadServlet#MAX_BYTES} a file and {@link #MAX_PROXIED} at once.
 *
 * <p>Nothing served here can run script on Parley's origin: the type is read from the bytes,
 * anything but a PNG, JPEG, GIF or WebP image is an {@code attachment}, and every answer has
 * {@code X-Content-Type-Options: nosniff} and a {@code Content-Security-Policy} that sandboxes it.
 */
public final class FileServlet extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(FileServlet.class);

    /** Files proxied at once; more wait for none and are told to come back. */
    static final int MAX_PROXIED = 32;
    /** LiveChat's hosts of files and images (and their subdomains). */
    static final List<String> UPSTREAM_FILE_HOSTS = List.of("livechat-files.com", "livechatinc.com",
            "livechat-static.com", "livechat.com", "lc.chat");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}(\\.\\d{1,2})?");

    private final transient Relay relay;
    /** Null for a node alone. */
    private final transient io.parley.relay.ws.Forwarder forwarder;
    private final transient Supplier<URI> apiUrl;
    private final transient HttpClient http;
    private final transient Semaphore proxied = new Semaphore(MAX_PROXIED);
    private final Duration timeout;

    /** @param apiUrl the upstream API's base URL, whose host serves files too (the emulator's does); null while unknown */
    public FileServlet(Relay relay, Supplier<URI> apiUrl, Duration timeout) {
        this(relay, apiUrl, timeout, null);
    }

    /** As above, for a node sharing conversations: a file of a conversation driven elsewhere is asked of that node. */
    public FileServlet(Relay relay, Supplier<URI> apiUrl, Duration timeout, io.parley.relay.ws.Forwarder forwarder) {
        this.forwarder = forwarder;
        this.relay = relay;
        this.apiUrl = apiUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
        boolean wellFormed = ID.matcher(id).matches();
        Optional<Conversation.SharedFile> found = wellFormed ? relay.file(id) : Optional.empty();
        if (found.isEmpty() && forwarder != null && wellFormed && !forwarder.forwarded(request)) {
            Optional<URI> holder = forwarder.holderOf(id.replaceFirst("[.].*$", ""), "/files/" + id);
            if (holder.isPresent()) {
                forwarder.forward(request, response, holder.get(), request.getRemoteAddr());
                return;
            }
        }
        if (found.isEmpty()) {
            response.sendError(404);
            return;
        }
        Conversation.SharedFile file = found.get();
        if (file.spooled() != null) {
            try (InputStream in = Files.newInputStream(file.spooled())) {
                serve(in, file.name(), response);
                return;
            } catch (NoSuchFileException e) {
                // delivered meanwhile: from the upstream, if it said where
            }
        }
        if (file.upstreamUrl() == null || !fetchable(file.upstreamUrl())) {
            response.sendError(404);
            return;
        }
        proxy(URI.create(file.upstreamUrl()), file.name(), response);
    }

    private void proxy(URI url, String name, HttpServletResponse response) throws IOException {
        if (!proxied.tryAcquire()) {
            response.setHeader("Retry-After", "5");
            response.sendError(503);
            return;
        }
        try {
            HttpResponse<InputStream> answer = http.send(HttpRequest.newBuilder(url).timeout(timeout.multipliedBy(6))
                    .header("User-Agent", "Parley").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = answer.body()) {
                if (answer.statusCode() != 200) {
                    response.sendError(answer.statusCode() == 404 || answer.statusCode() == 410 ? 404 : 502);
                    return;
                }
                serve(in, name, response);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.sendError(503);
        } catch (IOException e) {
            LOG.debug("A shared file could not be fetched from the upstream: {}", e.toString());
            if (!response.isCommitted()) {
                response.sendError(502);
            }
        } finally {
            proxied.release();
        }
    }

    /** Whether a URL is one of LiveChat's file hosts over https, or on the API's own host. */
    boolean fetchable(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        URI api = apiUrl.get();
        if (api != null && host.equalsIgnoreCase(api.getHost()) && uri.getPort() == api.getPort()
                && uri.getScheme().equalsIgnoreCase(api.getScheme())) {
            return true;
        }
        return "https".equalsIgnoreCase(uri.getScheme()) && (uri.getPort() == -1 || uri.getPort() == 443)
                && UPSTREAM_FILE_HOSTS.stream().anyMatch(known -> host.equals(known) || host.endsWith("." + known));
    }

    /** Streams a file with headers that keep it from running on this origin, its type read from its first bytes. */
    static void serve(InputStream in, String name, HttpServletResponse response) throws IOException {
        byte[] head = new byte[FileTypes.HEAD];
        int headLength = in.readNBytes(head, 0, head.length);
        Optional<String> type = FileTypes.sniff(head, headLength, name);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "private, max-age=86400");
        if (type.isPresent() && FileTypes.safeImage(type.get())) {
            response.setContentType(type.get());
            response.setHeader("Content-Disposition", "inline");
        } else {
            response.setContentType(type.orElse("application/octet-stream"));
            response.setHeader("Content-Disposition", disposition(name == null ? "file" : name));
        }
        OutputStream out = response.getOutputStream();
        out.write(head, 0, headLength);
        byte[] buffer = new byte[8192];
        long total = headLength;
        int read;
        while ((read = in.read(buffer)) > 0) {
            total += read;
            if (total > UploadServlet.MAX_BYTES) {
                throw new IOException("a shared file is larger than files may be"); // cut off: the browser sees it broken
            }
            out.write(buffer, 0, read);
        }
    }

    /** {@code attachment} with the name in plain ASCII and in full (RFC 6266). */
    static String disposition(String name) {
        String ascii = name.replaceAll("[^A-Za-z0-9._ -]", "_");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
