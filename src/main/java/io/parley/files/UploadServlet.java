package io.parley.files;

import io.parley.limits.AbuseLimits;
import io.parley.origins.AllowedOrigins;
import io.parley.relay.ErrorCode;
import io.parley.relay.Relay;
import io.parley.relay.TabMessage;
import io.parley.relay.ws.ClientAddresses;
import io.parley.upstream.Attachment;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A visitor's file, at {@code POST /upload}: the file's bytes are the request's body, and
 * headers say whose it is. Everything is checked before the file is kept, and again on its bytes:
 *
 * <pre>
 * curl -X POST 'http://localhost:8080/upload' -H 'Origin: http://localhost:8080' \
 *      -H 'X-Parley-Token: &lt;token&gt;' -H 'X-Parley-Id: f1' -H 'X-Parley-Name: photo.png' \
 *      --data-binary @photo.png
 * {"id":"f1","seq":7}
 * </pre>
 *
 * <ul>
 *   <li>the {@code Origin} is this server's or an allowed site's, as for {@code /ws};</li>
 *   <li>the token ({@code X-Parley-Token}) is one this server issued to that page, with its site
 *       in {@code X-Parley-Origin} when embedded: the same binding as a tab's hello;</li>
 *   <li>uploads count against {@code connections-per-ip}, and as messages against {@code messages-per-visitor};</li>
 *   <li>at most {@link #MAX_BYTES}, counted as the bytes come, whatever {@code Content-Length} said;</li>
 *   <li>the type is read from the bytes ({@link FileTypes}) and must be one of {@code upload-types}.</li>
 * </ul>
 *
 * The answer is JSON: {@code {"id","seq"}} once the file's event is saved, or
 * {@code {"code","message"}} with the error codes of {@code docs/protocol.md}.
 */
public final class UploadServlet extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(UploadServlet.class);

    /** The largest file taken: LiveChat's own limit for {@code upload_file}. */
    public static final long MAX_BYTES = 10L * 1024 * 1024;
    /** How long the relay's answer is waited for (a save). */
    private static final long ANSWER_MILLIS = 30_000;
    private static final int MAX_NAME = 200;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Jsonb JSONB = JsonbBuilder.create();

    private final transient Relay relay;
    private final transient Spool spool;
    private final Set<String> allowedTypes;
    private final transient AllowedOrigins origins;
    private final transient ClientAddresses addresses;
    private final transient AbuseLimits limits;
    /** Null for a node alone. */
    private final transient io.parley.relay.ws.Forwarder forwarder;

    public UploadServlet(Relay relay, Spool spool, List<String> allowedTypes, AllowedOrigins origins,
            ClientAddresses addresses, AbuseLimits limits) {
        this(relay, spool, allowedTypes, origins, addresses, limits, null);
    }

    /** As above, for a node sharing conversations: an upload for a conversation driven elsewhere goes there. */
    public UploadServlet(Relay relay, Spool spool, List<String> allowedTypes, AllowedOrigins origins,
            ClientAddresses addresses, AbuseLimits limits, io.parley.relay.ws.Forwarder forwarder) {
        this.forwarder = forwarder;
        this.relay = relay;
        this.spool = spool;
        this.allowedTypes = Set.copyOf(allowedTypes);
        this.origins = origins;
        this.addresses = addresses;
        this.limits = limits;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String origin = request.getHeader("Origin");
        // From another node, forwarding a visitor's upload: what the visitor's request said, on its word.
        boolean forwarded = forwarder != null && forwarder.forwarded(request);
        String host = forwarded ? request.getHeader(io.parley.relay.ws.Forwarding.HOST_HEADER) : request.getHeader("Host");
        String clientAddress = forwarded ? String.valueOf(request.getHeader(io.parley.relay.ws.Forwarding.CLIENT_ADDRESS_HEADER))
                : addresses.of(request);
        if (origin != null && !origins.allowsSocket(origin, host)) {
            refuse(response, 403, ErrorCode.ORIGIN_REFUSED, "This site may not use this chat.", null);
            return;
        }
        Optional<Duration> wait = limits.connection(clientAddress);
        if (wait.isPresent()) {
            refuse(response, 429, ErrorCode.RATE_LIMITED, "Too many uploads. Please wait a moment.", wait.get());
            return;
        }
        String token = request.getHeader("X-Parley-Token");
        String clientId = request.getHeader("X-Parley-Id");
        String site = request.getHeader("X-Parley-Origin");
        if (token == null || !TOKEN.matcher(token).matches() || clientId == null
                || !CLIENT_ID.matcher(clientId).matches() || site != null && (site.length() > 200 || !origins.allows(site))) {
            refuse(response, 400, ErrorCode.BAD_FRAME, "The upload lacks what says whose it is.", null);
            return;
        }
        if (forwarder != null && !forwarded) {
            Optional<java.net.URI> driver = forwarder.driverOf(token, "/upload");
            if (driver.isPresent()) {
                forwarder.forward(request, response, driver.get(), clientAddress);
                return;
            }
        }
        String siteOrigin = site == null ? null : site.strip().toLowerCase(Locale.ROOT);
        String requestOrigin = origin == null ? "" : origin.strip().toLowerCase(Locale.ROOT);
        if (!relay.acceptsUpload(token, siteOrigin, requestOrigin)) {
            refuse(response, 403, ErrorCode.UPLOAD_REFUSED, "This chat cannot take files from here.", null);
            return;
        }
        if (request.getContentLengthLong() > MAX_BYTES) {
            refuse(response, 413, ErrorCode.FILE_TOO_LARGE, "Files may be at most 10 MB.", null);
            return;
        }
        String name = name(request.getHeader("X-Parley-Name"));
        Path spooled = spool.newFile();
        boolean kept = false;
        try {
            byte[] head = new byte[FileTypes.HEAD];
            long size;
            int headLength;
            try (InputStream in = request.getInputStream(); OutputStream out = Files.newOutputStream(spooled)) {
                headLength = in.readNBytes(head, 0, head.length);
                out.write(head, 0, headLength);
                size = headLength + copy(in, out, MAX_BYTES - headLength + 1);
            }
            if (size > MAX_BYTES) {
                refuse(response, 413, ErrorCode.FILE_TOO_LARGE, "Files may be at most 10 MB.", null);
                return;
            }
            Optional<String> type = FileTypes.sniff(head, headLength, name);
            if (size == 0 || type.isEmpty() || !allowedTypes.contains(type.get())) {
                refuse(response, 415, ErrorCode.FILE_TYPE_REFUSED, "Files of this type cannot be sent.", null);
                return;
            }
            UploadAnswer answer = new UploadAnswer();
            kept = true; // the relay owns the file from here: it keeps it, or deletes it
            if (!relay.upload(token, siteOrigin, requestOrigin, clientId, new Attachment(name, type.get(), size, spooled),
                    answer)) {
                refuse(response, 403, ErrorCode.UPLOAD_REFUSED, "This chat cannot take files from here.", null);
                return;
            }
            answer(response, answer.await(ANSWER_MILLIS));
        } catch (IOException e) {
            // the visitor's connection broke off, or the spool failed: nothing was taken
            LOG.debug("An upload was not completed: {}", e.toString());
            if (!response.isCommitted()) {
                refuse(response, 400, ErrorCode.BAD_FRAME, "The file did not arrive whole. Please try again.", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(response, 503, ErrorCode.NOT_SAVED, "The file could not be saved yet. Please try again.", null);
        } finally {
            if (!kept) {
                Files.deleteIfExists(spooled);
            }
        }
    }

    private static void answer(HttpServletResponse response, TabMessage told) throws IOException {
        if (told instanceof TabMessage.Ack ack) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", ack.clientId());
            json.put("seq", ack.seq());
            write(response, 200, json);
        } else if (told instanceof TabMessage.Error error) {
            int status = switch (error.code()) {
                case NO_CHAT -> 409;
                case RATE_LIMITED -> 429;
                case NOT_SAVED -> 503;
                default -> 400;
            };
            refuse(response, status, error.code(), error.message(), error.retryAfter());
        } else {
            refuse(response, 503, ErrorCode.NOT_SAVED, "The file could not be saved yet. Please try again.", null);
        }
    }

    /** Copies at most {@code limit} bytes; returns how many were copied. */
    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[8192];
        long copied = 0;
        int read;
        while (copied < limit && (read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied))) > 0) {
            out.write(buffer, 0, read);
            copied += read;
        }
        return copied;
    }

    /** A name fit to show and to offer for download: no path, no control or bidi characters, not too long. */
    static String name(String header) {
        String decoded;
        try {
            decoded = header == null ? "" : URLDecoder.decode(header, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        String base = decoded.substring(Math.max(decoded.lastIndexOf('/'), decoded.lastIndexOf('\\')) + 1);
        StringBuilder clean = new StringBuilder();
        base.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .forEach(clean::appendCodePoint);
        String name = clean.toString().strip();
        if (name.length() > MAX_NAME) {
            name = name.substring(name.length() - MAX_NAME);
        }
        return name.isEmpty() || name.equals(".") || name.equals("..") ? "file" : name;
    }

    private static void refuse(HttpServletResponse response, int status, ErrorCode code, String message,
            Duration retryAfter) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "error");
        json.put("code", code.code());
        json.put("message", message);
        if (retryAfter != null) {
            long seconds = (retryAfter.toMillis() + 999) / 1000;
            json.put("retry_after", seconds);
            response.setHeader("Retry-After", Long.toString(seconds));
        }
        write(response, status, json);
    }

    private static void write(HttpServletResponse response, int status, Map<String, Object> json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSONB.toJson(json));
    }
}
