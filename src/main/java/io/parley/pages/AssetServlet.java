package io.parley.pages;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Static files shipped inside Parley's classes, under {@code io/parley/web/}: the same in the WAR
 * and in the jar mounted inside another application, where the container's own file serving
 * cannot reach them below a mount path. Only the listed files exist, read once at start-up, so
 * no request path ever reaches the class loader. Answers carry a strong ETag and must be
 * revalidated, so a new version reaches every site at once while an unchanged one costs a 304;
 * an address that names the file's version ({@code ?v=}{@link #version(String)}, as the chat page
 * links them) is cached for a year instead, as it never changes. Each file is gzipped once at
 * start-up and sent so to every client that accepts it. Scripts are served without their
 * indentation and comment lines ({@link #compact(String)}).
 */
public final class AssetServlet extends HttpServlet {

    private static final String ROOT = "io/parley/web/";
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript;charset=UTF-8",
            "css", "text/css;charset=UTF-8",
            "svg", "image/svg+xml");

    private final transient Map<String, Asset> assets;

    private AssetServlet(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /**
     * Serves these files of {@code io/parley/web/<folder>/}, each at {@code /<name>} below the
     * servlet's mapping (or, for an exact mapping such as {@code /widget.js}, at the mapping).
     *
     * @throws IllegalStateException if a file is missing from the classes: a broken build
     */
    public static AssetServlet fromClasspath(String folder, List<String> names) {
        Map<String, Asset> assets = new HashMap<>();
        for (String name : names) {
            String resource = ROOT + (folder.isEmpty() ? "" : folder + "/") + name;
            try (InputStream in = AssetServlet.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Parley's classes lack " + resource + ": the build is incomplete");
                }
                String extension = name.substring(name.lastIndexOf('.') + 1);
                byte[] bytes = in.readAllBytes();
                if (extension.equals("js")) {
                    bytes = compact(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                assets.put("/" + name, Asset.of(bytes, TYPES.get(extension)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }
        return new AssetServlet(Map.copyOf(assets));
    }

    /**
     * A script without indentation, blank lines and lines that hold only a {@code //} comment:
     * what every page that embeds the widget downloads. Line breaks stay, so the script means
     * the same. A script where a line break could be inside a string (a template literal, or a
     * line ending in a backslash) is left whole.
     */
    static String compact(String script) {
        if (script.indexOf('`') >= 0 || script.lines().anyMatch(line -> line.endsWith("\\"))) {
            return script;
        }
        StringBuilder compacted = new StringBuilder(script.length());
        script.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("//"))
                .forEach(line -> compacted.append(line).append('\n'));
        return compacted.toString();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() != null ? request.getPathInfo()
                : request.getServletPath().substring(request.getServletPath().lastIndexOf('/'));
        Asset asset = assets.get(path);
        if (asset == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String accepted = request.getHeader("Accept-Encoding");
        boolean gzip = accepted != null && Arrays.stream(accepted.split(","))
                .map(coding -> coding.strip().toLowerCase(Locale.ROOT))
                .anyMatch(coding -> coding.equals("gzip") || (coding.startsWith("gzip;") && !coding.matches("gzip;\\s*q=0(\\.0*)?")));
        String etag = gzip ? asset.gzipEtag() : asset.etag();
        response.setHeader("ETag", etag);
        response.setHeader("Vary", "Accept-Encoding");
        response.setHeader("Cache-Control", asset.version().equals(request.getParameter("v"))
                ? "public, max-age=31536000, immutable" : "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .anyMatch(tag -> tag.equals(etag) || tag.equals("W/" + etag) || tag.equals("*"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        byte[] body = gzip ? asset.gzipped() : asset.bytes();
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentType(asset.type());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The version of a file (a hash of what is served), for an address that is cached for good. */
    public String version(String name) {
        Asset asset = assets.get("/" + name);
        if (asset == null) {
            throw new IllegalArgumentException("no asset " + name);
        }
        return asset.version();
    }

    /** A file as served: its bytes, gzipped too, its type and its version (which its ETags are made of). */
    private record Asset(byte[] bytes, byte[] gzipped, String type, String version) {

        static Asset of(byte[] bytes, String type) {
            if (type == null) {
                throw new IllegalArgumentException("no content type known for this asset");
            }
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                return new Asset(bytes, gzip(bytes), type,
                        Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java platform", e);
            }
        }

        String etag() {
            return "\"" + version + "\"";
        }

        /** Another representation, another strong tag. */
        String gzipEtag() {
            return "\"" + version + "-gz\"";
        }

        private static byte[] gzip(byte[] bytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            }) {
                gzip.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}
