package io.parley.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/**
 * Where conversations are kept when {@code data-dir} is not set: a directory under the user's
 * home, {@code ~/.parley/<context>-<server>}, named after the web application's context path and
 * the server's base directory ({@code catalina.base}, {@code jetty.base}, else the working
 * directory), so that a restart finds it again while two Parleys on one machine, in two contexts
 * or two servers, do not share it. Not the container's temporary directory, which Jetty and
 * Tomcat empty on a restart.
 */
public final class DefaultDataDirectory {

    private DefaultDataDirectory() {
    }

    /**
     * @param contextPath the servlet context's path, {@code ""} for the root
     * @param properties  the system properties (a function, so that tests can give their own)
     */
    public static Path of(String contextPath, UnaryOperator<String> properties) {
        String home = properties.apply("user.home");
        String base = firstOf(properties.apply("catalina.base"), properties.apply("jetty.base"),
                properties.apply("user.dir"));
        return Path.of(home, ".parley", contextName(contextPath) + "-" + shortHash(base));
    }

    /** The directory to try when the default one is held by another Parley: {@code <name>-2}, {@code -3}, ... */
    public static Path alternative(Path directory, int attempt) {
        return directory.resolveSibling(directory.getFileName() + "-" + attempt);
    }

    static String contextName(String contextPath) {
        String name = contextPath == null ? "" : contextPath.replaceAll("^/+|/+$", "").replace('/', '_');
        name = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() ? "ROOT" : name;
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "";
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
