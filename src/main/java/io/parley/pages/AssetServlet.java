package io.parley.pages;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
import java.util.Map;

/**
 * Static files shipped inside Parley's classes, under {@code io/parley/web/}: the same in the WAR
 * and in the jar mounted inside another application, where the container's own file serving
 * cannot reach them below a mount path. Only the listed files exist, read once at start-up, so
 * no request path ever reaches the class loader. Answers carry an ETag and must be revalidated,
 * so a new version reaches every site at once while an unchanged one costs a 304. Scripts are
 * served without their indentation and comment lines ({@link #compact(String)}).
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
        response.setHeader("ETag", asset.etag());
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null && Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .anyMatch(tag -> tag.equals(asset.etag()) || tag.equals("W/" + asset.etag()) || tag.equals("*"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(asset.type());
        response.setContentLength(asset.bytes().length);
        response.getOutputStream().write(asset.bytes());
    }

    private record Asset(byte[] bytes, String type, String etag) {

        static Asset of(byte[] bytes, String type) {
            if (type == null) {
                throw new IllegalArgumentException("no content type known for this asset");
            }
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                return new Asset(bytes, type, "\"" + Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(Arrays.copyOf(digest, 12)) + "\"");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java platform", e);
            }
        }
    }
}
