package io.parley.settings;

import io.parley.settings.SettingSource.RawSetting;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a {@link SettingSource}, turning every unusable value into an
 * {@link InvalidSettingException} that names the setting, its origin and the problem.
 */
final class SettingReader {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    private static final Pattern MOUNT_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");

    private final SettingSource source;
    private final Set<String> read = new HashSet<>();

    SettingReader(SettingSource source) {
        this.source = source;
    }

    /** Names of settings that were given but never asked for: most likely typos. */
    Set<String> unknownNames() {
        Set<String> unknown = new HashSet<>(source.names());
        unknown.removeAll(read);
        return unknown;
    }

    Optional<String> text(String name) {
        read.add(name);
        return source.find(name).map(RawSetting::value).map(String::strip).filter(s -> !s.isEmpty());
    }

    Optional<String> digits(String name) {
        return raw(name).map(raw -> {
            if (!DIGITS.matcher(raw.value().strip()).matches()) {
                throw invalid(name, raw, "must be a number (digits only)");
            }
            return raw.value().strip();
        });
    }

    boolean bool(String name, boolean fallback) {
        return raw(name).map(raw -> {
            String value = raw.value().strip().toLowerCase(Locale.ROOT);
            if (value.equals("true") || value.equals("false")) {
                return Boolean.parseBoolean(value);
            }
            throw invalid(name, raw, "must be true or false");
        }).orElse(fallback);
    }

    int integer(String name, int fallback, int min, int max) {
        return raw(name).map(raw -> {
            int value;
            try {
                value = Integer.parseInt(raw.value().strip());
            } catch (NumberFormatException e) {
                throw invalid(name, raw, "is not a whole number");
            }
            if (value < min || value > max) {
                throw invalid(name, raw, "must be between " + min + " and " + max);
            }
            return value;
        }).orElse(fallback);
    }

    Duration duration(String name, Duration fallback, Duration min, Duration max) {
        return raw(name).map(raw -> {
            Duration value = parseDuration(name, raw);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw invalid(name, raw, "must be between " + Durations.format(min) + " and "
                        + Durations.format(max));
            }
            return value;
        }).orElse(fallback);
    }

    /** A limit written as a count, a slash and a duration, e.g. {@code 30/1m}. */
    Rate rate(String name, Rate fallback) {
        return raw(name).map(raw -> {
            String[] parts = raw.value().strip().split("/", 2);
            String notALimit = "is not a limit; write it as a count of 1 or more, a slash and a duration, e.g. 30/1m";
            int count;
            Duration per;
            try {
                count = parts.length == 2 ? Integer.parseInt(parts[0].strip()) : -1;
                per = count < 1 ? null : parseDuration(name, new RawSetting(parts[1].strip(), raw.origin()));
            } catch (NumberFormatException | InvalidSettingException e) {
                throw invalid(name, raw, notALimit);
            }
            if (count < 1 || count > 1_000_000) {
                throw invalid(name, raw, notALimit);
            }
            if (per.compareTo(Duration.ofSeconds(1)) < 0 || per.compareTo(Duration.ofDays(1)) > 0) {
                throw invalid(name, raw, "must count over a duration between 1s and 24h");
            }
            return new Rate(count, per);
        }).orElse(fallback);
    }

    /** A path to a directory; it need not exist yet. */
    Optional<Path> path(String name) {
        return raw(name).map(raw -> {
            try {
                return Path.of(raw.value().strip()).toAbsolutePath();
            } catch (InvalidPathException e) {
                throw invalid(name, raw, "is not a valid path");
            }
        });
    }

    /**
     * A path inside the web application, such as {@code /support/chat}: empty for its root. A
     * trailing slash is dropped; segments are plain URL characters, so the path needs no escaping
     * in a servlet mapping or a URL.
     */
    String mountPath(String name) {
        return raw(name).map(raw -> {
            String path = raw.value().strip();
            if (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (!path.isEmpty() && (!MOUNT_PATH.matcher(path).matches() || path.contains("/./") || path.contains("/../")
                    || path.endsWith("/.") || path.endsWith("/.."))) {
                throw invalid(name, raw, "is not a path such as /support/chat (letters, digits and . _ ~ - between slashes)");
            }
            return path;
        }).orElse("");
    }

    /** An identifier such as an organization or client id: letters, digits, '-', '_' and '.', at most 128. */
    Optional<String> identifier(String name) {
        return raw(name).map(raw -> {
            String value = raw.value().strip();
            if (!value.matches("[A-Za-z0-9._-]{1,128}")) {
                throw invalid(name, raw, "is not an id (letters, digits, '-', '_' and '.', at most 128 characters)");
            }
            return value;
        });
    }

    /** An API version such as {@code 3.6}. */
    Optional<String> version(String name) {
        return raw(name).map(raw -> {
            String value = raw.value().strip();
            if (!value.matches("\\d{1,2}\\.\\d{1,2}")) {
                throw invalid(name, raw, "is not an API version such as 3.6");
            }
            return value;
        });
    }

    /** One of these values, exactly as written. */
    Optional<String> oneOf(String name, List<String> values) {
        return raw(name).map(raw -> {
            String value = raw.value().strip();
            if (!values.contains(value)) {
                throw invalid(name, raw, "must be one of " + String.join(", ", values));
            }
            return value;
        });
    }

    /** An HTTP header name. */
    Optional<String> headerName(String name) {
        return raw(name).map(raw -> {
            String header = raw.value().strip();
            if (!HEADER.matcher(header).matches()) {
                throw invalid(name, raw, "is not an HTTP header name such as X-Forwarded-For");
            }
            return header;
        });
    }

    URI httpUrl(String name, URI fallback) {
        return raw(name).map(given -> {
            String value = given.value().strip();
            int schemeEnd = value.indexOf("://");
            int authorityEnd = indexOfAny(value, "/?#", schemeEnd < 0 ? 0 : schemeEnd + 3);
            if (value.lastIndexOf('@', authorityEnd - 1) > schemeEnd) {
                // Its value is not repeated: it holds a password.
                throw new InvalidSettingException("Invalid setting " + name + " (" + given.origin() + "): must not carry "
                        + "a user name or password (user:password@ before the host)");
            }
            // An '@' further on may still be a password with a '/' in it: never repeated either.
            RawSetting raw = new RawSetting(value.replaceAll("^([^:/]*://).*@", "$1***@"), given.origin());
            URI uri = parseUri(name, new RawSetting(value, given.origin()), raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw invalid(name, raw, "is not an http(s) URL such as https://api.livechatinc.com");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw invalid(name, raw, "must not have a query or fragment");
            }
            String text = uri.toString();
            return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        }).orElse(fallback);
    }

    /**
     * A secret such as a bearer token: when given, not blank and at least {@code minLength}
     * characters. Its value is never repeated in an error.
     */
    Optional<String> secret(String name, int minLength) {
        read.add(name);
        return source.find(name).map(raw -> {
            String value = raw.value().strip();
            if (value.isEmpty()) {
                throw new InvalidSettingException("Invalid setting " + name + " (" + raw.origin() + "): is blank; "
                        + "remove the setting to leave it unset, or give a secret of at least " + minLength
                        + " characters");
            }
            if (value.length() < minLength) {
                throw new InvalidSettingException("Invalid setting " + name + " (" + raw.origin() + "): is too short ("
                        + value.length() + " characters); use at least " + minLength + ", e.g. the output of "
                        + "openssl rand -hex 24");
            }
            return value;
        });
    }

    /**
     * Exact origins, as browsers send them: http or https, a host, a port only where it is not
     * the scheme's default (which browsers leave out, so {@code https://a.com:443} is written
     * {@code https://a.com}), in lower case. A trailing slash is dropped.
     */
    List<String> origins(String name) {
        return raw(name).map(raw -> {
            List<String> origins = new ArrayList<>();
            for (String listed : raw.value().split(",")) {
                String origin = listed.strip();
                if (origin.isEmpty()) {
                    continue;
                }
                RawSetting item = new RawSetting(origin, raw.origin());
                origins.add(origin(name, item));
            }
            return List.copyOf(origins);
        }).orElse(List.of());
    }

    private String origin(String name, RawSetting item) {
        String text = item.value().endsWith("/") ? item.value().substring(0, item.value().length() - 1) : item.value();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(name, item, "is not an exact origin such as https://www.example.com");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean exact = uri.getHost() != null && !uri.getHost().isEmpty()
                && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null
                && !text.contains("*");
        if (!exact) {
            throw invalid(name, item, "is not an exact origin such as https://www.example.com");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(name, item, "is not an http or https origin");
        }
        int port = uri.getPort();
        if (port == 0 || port > 65_535 || uri.getRawAuthority().endsWith(":")) {
            throw invalid(name, item, "has no valid port (1 to 65535)");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean defaultPort = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    InvalidSettingException invalid(String name, String problem) {
        return new InvalidSettingException("Invalid setting " + name + ": " + problem);
    }

    private Optional<RawSetting> raw(String name) {
        read.add(name);
        return source.find(name).filter(raw -> !raw.value().isBlank());
    }

    private Duration parseDuration(String name, RawSetting raw) {
        String value = raw.value().strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("-")) {
            throw invalid(name, raw, "must not be negative");
        }
        Matcher matcher = DURATION.matcher(value);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            switch (matcher.group(2)) {
                case "ms": return Duration.ofMillis(amount);
                case "s": return Duration.ofSeconds(amount);
                case "m": return Duration.ofMinutes(amount);
                default: return Duration.ofHours(amount);
            }
        }
        if (value.startsWith("pt")) {
            try {
                Duration parsed = Duration.parse(value);
                if (parsed.isNegative()) {
                    throw invalid(name, raw, "must not be negative");
                }
                return parsed;
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
        }
        throw invalid(name, raw, "is not a duration; write it as a number and a unit, e.g. 500ms, 10s, 5m or 1h");
    }

    private URI parseUri(String name, RawSetting raw) {
        return parseUri(name, raw, raw);
    }

    /** Parses {@code raw}; an error repeats {@code shown} instead, which may have parts masked. */
    private URI parseUri(String name, RawSetting raw, RawSetting shown) {
        try {
            return new URI(raw.value().strip());
        } catch (URISyntaxException e) {
            throw invalid(name, shown, "is not a valid URL");
        }
    }

    private static int indexOfAny(String text, String characters, int from) {
        for (int i = from; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    private InvalidSettingException invalid(String name, RawSetting raw, String problem) {
        return new InvalidSettingException("Invalid setting " + name + " (" + raw.origin() + "): '"
                + abbreviate(raw.value()) + "' " + problem);
    }

    private static String abbreviate(String value) {
        String oneLine = value.replaceAll("[\\r\\n\\t]", " ");
        return oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine;
    }
}
