package io.parley.settings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every setting of Parley, with its default, read and validated once at start-up. Services take
 * what they need from here through their constructors, so tests build one with
 * {@link #load(SettingSource)} over a plain map.
 *
 * <p>Without a {@code licence-id}, Parley runs in demo mode: the built-in emulator of the upstream
 * is mounted at {@code /emulator} and is reached over HTTP like the real one.
 */
public final class Settings {

    public static final URI DEFAULT_API_URL = URI.create("https://api.livechatinc.com");

    public static final URI DEFAULT_ACCOUNTS_URL = URI.create("https://accounts.livechat.com");

    /** The Customer Chat API version spoken by default. */
    public static final String DEFAULT_API_VERSION = "3.6";

    /** Which API of LiveChat's the relay speaks. */
    public enum UpstreamApi {
        /** The Visitors Chat API v2, polled. */
        LIVECHAT_V2("livechat-v2", "v2"),
        /** The Customer Chat API v3, pushed over RTM. */
        LIVECHAT_V3("livechat-v3", "v3");

        private final String settingValue;
        private final String demoValue;

        UpstreamApi(String settingValue, String demoValue) {
            this.settingValue = settingValue;
            this.demoValue = demoValue;
        }

        /** The value of the {@code upstream} setting that chooses it. */
        public String settingValue() {
            return settingValue;
        }
    }

    /** The longest poll interval that still survives two failed polls within the upstream's ~30 s keep-alive. */
    public static final Duration LONGEST_SAFE_POLL_INTERVAL = Duration.ofSeconds(10);

    /** How long the upstream may go without a poll before it might close the chat, with a margin below its ~30 s. */
    public static final Duration KEEP_ALIVE_BUDGET = Duration.ofSeconds(25);

    /** The shortest {@code metrics-token} taken: a bearer token must not be guessable. */
    public static final int METRICS_TOKEN_MIN_LENGTH = 16;

    /** The languages the chat page speaks; settings of texts may be given for each ({@code welcome-message-de}). */
    public static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "pl", "ar");

    /**
     * The types of files a visitor may send, by default and at most: images, PDF, plain text and
     * office documents, each recognised from its bytes (see {@code io.parley.files.FileTypes}).
     */
    public static final List<String> UPLOAD_TYPES = List.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "application/pdf", "text/plain",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
            "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation");

    /** The value of {@code answer-time} that shows no promise at all. */
    public static final String NO_ANSWER_TIME = "none";

    /** The {@code data-dir} that keeps conversations in memory only. */
    public static final String NO_DATA_DIR = "none";

    private final Optional<String> licenceId;
    private final Optional<String> organizationId;
    private final UpstreamApi upstreamApi;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final Optional<String> refreshToken;
    private final URI accountsUrl;
    private final String apiVersion;
    private final URI apiUrl;
    private final String welcomeMessage;
    /** Greetings the site owner set, by language; "" for every language. */
    private final Map<String, String> greetings;
    /** Promises of an answer time the site owner set, by language; "" for every language; empty text for none. */
    private final Map<String, String> answerTimes;
    private final List<String> allowedOrigins;
    private final Duration upstreamTimeout;
    private final int upstreamConnections;
    private final Duration pollFastInterval;
    private final Duration pollFastWindow;
    private final Duration pollInterval;
    private final Duration pollIdleInterval;
    private final int pollsInFlight;
    private final Duration gracePeriod;
    private final Duration availabilityInterval;
    private final String shareVisitorPage;
    private final int maxConversations;
    private final int maxTabsPerVisitor;
    private final int maxMessageLength;
    private final String mountPath;
    private final Duration shutdownTimeout;
    private final Duration unreadyAfter;
    private final Optional<String> metricsToken;
    private final Optional<String> logFormat;
    private final Optional<String> logLevel;
    private final Duration emulatorChatTimeout;
    private final Duration emulatorAgentDelay;
    private final boolean emulatorDemoAgent;
    private final Optional<Path> dataDir;
    private final boolean memoryOnly;
    private final Optional<String> clientIpHeader;
    private final Rate chatStartsPerVisitor;
    private final Rate chatStartsPerIp;
    private final Rate messagesPerVisitor;
    private final Rate connectionsPerIp;
    private final int tabsPerIp;
    private final Duration helloTimeout;
    private final List<String> uploadTypes;
    private final Optional<ClusterSettings> cluster;
    private final Set<String> unknownNames;

    private Settings(SettingReader read) {
        licenceId = read.digits("licence-id");
        organizationId = read.identifier("organization-id");
        upstreamApi = upstreamApi(read, licenceId, organizationId);
        clientId = read.identifier("client-id");
        clientSecret = read.secret("client-secret", 8);
        refreshToken = read.secret("refresh-token", 8);
        if (upstreamApi == UpstreamApi.LIVECHAT_V3 && organizationId.isPresent()) {
            requireForV3(read, "client-id", clientId);
            requireForV3(read, "client-secret", clientSecret);
            requireForV3(read, "refresh-token", refreshToken);
        }
        accountsUrl = read.httpUrl("accounts-url", DEFAULT_ACCOUNTS_URL);
        apiVersion = read.version("api-version").orElse(DEFAULT_API_VERSION);
        apiUrl = read.httpUrl("api-url", DEFAULT_API_URL);
        welcomeMessage = read.text("welcome-message").orElse("Hello! How can we help you today?");
        if (welcomeMessage.length() > 1024) {
            throw read.invalid("welcome-message", "is longer than the upstream's 1024 characters");
        }
        greetings = perLanguage(read, "welcome-message", 1024);
        answerTimes = perLanguage(read, "answer-time", 200);
        answerTimes.replaceAll((language, text) -> text.equalsIgnoreCase(NO_ANSWER_TIME) ? "" : text);
        allowedOrigins = read.origins("allowed-origins");
        upstreamTimeout = read.duration("upstream-timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(60));
        upstreamConnections = read.integer("upstream-connections", 64, 1, 10_000);
        pollFastInterval = read.duration("poll-fast-interval", Duration.ofSeconds(1), Duration.ofMillis(100), LONGEST_SAFE_POLL_INTERVAL);
        pollFastWindow = read.duration("poll-fast-window", Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(10));
        pollInterval = read.duration("poll-interval", Duration.ofSeconds(8), Duration.ofMillis(100), LONGEST_SAFE_POLL_INTERVAL);
        pollIdleInterval = read.duration("poll-idle-interval", Duration.ofSeconds(8), Duration.ofMillis(100), LONGEST_SAFE_POLL_INTERVAL);
        pollsInFlight = read.integer("polls-in-flight", 256, 1, 100_000);
        gracePeriod = read.duration("grace-period", Duration.ofMinutes(5), Duration.ZERO, Duration.ofHours(24));
        availabilityInterval = read.duration("availability-interval", Duration.ofSeconds(30), Duration.ofMillis(200),
                Duration.ofMinutes(10));
        shareVisitorPage = read.oneOf("share-visitor-page", List.of("path", "full", "off")).orElse("path");
        maxConversations = read.integer("max-conversations", 10_000, 1, 1_000_000);
        maxTabsPerVisitor = read.integer("max-tabs-per-visitor", 10, 1, 1000);
        maxMessageLength = read.integer("max-message-length", 4000, 1, 16_384);
        emulatorChatTimeout = read.duration("emulator-chat-timeout", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofHours(1));
        emulatorAgentDelay = read.duration("emulator-agent-delay", Duration.ofSeconds(2), Duration.ZERO, Duration.ofMinutes(1));
        emulatorDemoAgent = read.bool("emulator-demo-agent", true);
        memoryOnly = read.text("data-dir").map(value -> value.strip().equalsIgnoreCase(NO_DATA_DIR)).orElse(false);
        dataDir = memoryOnly ? Optional.empty() : read.path("data-dir");
        mountPath = read.mountPath("mount-path");
        shutdownTimeout = read.duration("shutdown-timeout", Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(5));
        unreadyAfter = read.duration("unready-after", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1));
        metricsToken = read.secret("metrics-token", METRICS_TOKEN_MIN_LENGTH);
        logFormat = read.oneOf("log-format", List.of("text", "json"));
        logLevel = read.oneOf("log-level", List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR"));
        clientIpHeader = read.headerName("client-ip-header");
        chatStartsPerVisitor = read.rate("chat-starts-per-visitor", new Rate(5, Duration.ofHours(1)));
        chatStartsPerIp = read.rate("chat-starts-per-ip", new Rate(60, Duration.ofHours(1)));
        messagesPerVisitor = read.rate("messages-per-visitor", new Rate(30, Duration.ofMinutes(1)));
        connectionsPerIp = read.rate("connections-per-ip", new Rate(120, Duration.ofMinutes(1)));
        tabsPerIp = read.integer("tabs-per-ip", 200, 1, 1_000_000);
        helloTimeout = read.duration("hello-timeout", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(1));
        uploadTypes = uploadTypes(read);
        cluster = cluster(read);
        unknownNames = Set.copyOf(read.unknownNames());

        if (pollFastInterval.compareTo(pollInterval) > 0) {
            throw read.invalid("poll-fast-interval", "(" + Durations.format(pollFastInterval)
                    + ") must not be longer than poll-interval (" + Durations.format(pollInterval) + ")");
        }
        Duration worstGap = pollIdleInterval.plus(upstreamTimeout.multipliedBy(2));
        if (worstGap.compareTo(KEEP_ALIVE_BUDGET) > 0) {
            throw read.invalid("upstream-timeout", "(" + Durations.format(upstreamTimeout) + ") is too long for "
                    + "poll-idle-interval (" + Durations.format(pollIdleInterval) + "): two timed-out polls in a row "
                    + "could let the upstream close the chat; keep poll-idle-interval + 2 x upstream-timeout within "
                    + Durations.format(KEEP_ALIVE_BUDGET));
        }
        if (pollInterval.compareTo(pollIdleInterval) > 0) {
            throw read.invalid("poll-interval", "(" + Durations.format(pollInterval)
                    + ") must not be longer than poll-idle-interval (" + Durations.format(pollIdleInterval) + ")");
        }
    }

    /**
     * {@code upload-types}: the types of files visitors may send, as MIME types separated by
     * commas, each one Parley can recognise from a file's bytes; all of those by default.
     */
    private static List<String> uploadTypes(SettingReader read) {
        Optional<String> value = read.text("upload-types");
        if (value.isEmpty() || value.get().isBlank()) {
            return UPLOAD_TYPES;
        }
        List<String> types = new java.util.ArrayList<>();
        for (String type : value.get().split(",")) {
            String chosen = type.strip().toLowerCase(java.util.Locale.ROOT);
            if (chosen.isEmpty()) {
                continue;
            }
            if (!UPLOAD_TYPES.contains(chosen)) {
                throw read.invalid("upload-types", "names " + chosen + ", which is not one of " + String.join(", ", UPLOAD_TYPES));
            }
            if (!types.contains(chosen)) {
                types.add(chosen);
            }
        }
        if (types.isEmpty()) {
            throw read.invalid("upload-types", "names no type");
        }
        return List.copyOf(types);
    }

    /** The cluster settings; empty, and the others ignored, without {@code cluster-members}. */
    private static Optional<ClusterSettings> cluster(SettingReader read) {
        int port = read.integer("cluster-port", ClusterSettings.DEFAULT_PORT, 1, 65535);
        String name = read.identifier("cluster-name").orElse("parley");
        Optional<String> networkInterface = read.text("cluster-interface").map(String::strip);
        if (networkInterface.isPresent() && !networkInterface.get().matches("[A-Za-z0-9._:-]{1,253}")) {
            throw read.invalid("cluster-interface", "is not a host name or address");
        }
        Optional<String> members = read.text("cluster-members").filter(value -> !value.isBlank());
        if (members.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ClusterSettings(ClusterSettings.parseMembers(members.get()), port, name,
                    networkInterface));
        } catch (IllegalArgumentException e) {
            throw read.invalid("cluster-members", e.getMessage() + " (expected host:port,host:port)");
        }
    }

    /**
     * The {@code upstream} setting, or what the account settings imply: v3 with an
     * {@code organization-id}, v2 with a {@code licence-id}; in demo mode {@code demo-upstream}
     * (v3 unless {@code v2}) chooses which API the emulator is spoken to with.
     */
    private static UpstreamApi upstreamApi(SettingReader read, Optional<String> licenceId, Optional<String> organizationId) {
        Optional<String> demo = read.oneOf("demo-upstream", List.of("v2", "v3"));
        Optional<UpstreamApi> chosen = read.oneOf("upstream", List.of("livechat-v2", "livechat-v3"))
                .map(value -> value.equals("livechat-v2") ? UpstreamApi.LIVECHAT_V2 : UpstreamApi.LIVECHAT_V3);
        if (licenceId.isEmpty() && organizationId.isEmpty()) {
            if (chosen.isPresent()) {
                throw read.invalid("upstream", "is " + chosen.get().settingValue() + ", but "
                        + (chosen.get() == UpstreamApi.LIVECHAT_V3 ? "organization-id" : "licence-id")
                        + " is not set; set it, or remove upstream to run the demo");
            }
            return demo.filter(value -> value.equals(UpstreamApi.LIVECHAT_V2.demoValue)).isPresent()
                    ? UpstreamApi.LIVECHAT_V2 : UpstreamApi.LIVECHAT_V3;
        }
        UpstreamApi api = chosen.orElse(organizationId.isPresent() ? UpstreamApi.LIVECHAT_V3 : UpstreamApi.LIVECHAT_V2);
        if (api == UpstreamApi.LIVECHAT_V3 && organizationId.isEmpty()) {
            throw read.invalid("organization-id", "is required for upstream livechat-v3: the LiveChat organization's "
                    + "id, from the Developer Console");
        }
        if (api == UpstreamApi.LIVECHAT_V2 && licenceId.isEmpty()) {
            throw read.invalid("licence-id", "is required for upstream livechat-v2: the LiveChat licence number");
        }
        return api;
    }

    private static void requireForV3(SettingReader read, String name, Optional<String> value) {
        if (value.isEmpty()) {
            throw read.invalid(name, "is required for upstream livechat-v3 (see the README's LiveChat v3 set-up)");
        }
    }

    /** A text setting and its variants by language ({@code name-de}, ...), keyed by language, "" for the plain one. */
    private static Map<String, String> perLanguage(SettingReader read, String name, int maxLength) {
        Map<String, String> texts = new HashMap<>();
        read.text(name).ifPresent(text -> texts.put("", text));
        for (String language : LANGUAGES) {
            read.text(name + "-" + language).ifPresent(text -> texts.put(language, text));
        }
        texts.forEach((language, text) -> {
            if (text.length() > maxLength) {
                throw read.invalid(language.isEmpty() ? name : name + "-" + language,
                        "is longer than " + maxLength + " characters");
            }
        });
        return texts;
    }

    /**
     * Reads and validates every setting.
     *
     * @throws InvalidSettingException naming the first setting that cannot be used
     */
    public static Settings load(SettingSource source) {
        return new Settings(new SettingReader(source));
    }

    /**
     * Where Parley's pages, assets and socket live inside the web application: empty when it is
     * the whole application, {@code /support/chat} when mounted inside another one.
     */
    public String mountPath() {
        return mountPath;
    }

    /** How long a stopping server waits for upstream calls in flight, visitors' messages among them. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** How long every upstream poll must have failed before this node reports itself not ready. */
    public Duration unreadyAfter() {
        return unreadyAfter;
    }

    /** The bearer token {@code /metrics} asks for; empty when it is open to all. */
    public Optional<String> metricsToken() {
        return metricsToken;
    }

    /** {@code text} or {@code json}, when set: how the WAR's own logging writes lines. */
    public Optional<String> logFormat() {
        return logFormat;
    }

    /** The level of the WAR's own logging, when set, e.g. {@code INFO}. */
    public Optional<String> logLevel() {
        return logLevel;
    }

    /** True when no LiveChat account is configured: the emulator is mounted and is the upstream. */
    public boolean demoMode() {
        return licenceId.isEmpty() && organizationId.isEmpty();
    }

    /** The API the relay speaks: chosen by {@code upstream}, the account settings, or {@code demo-upstream}. */
    public UpstreamApi upstreamApi() {
        return upstreamApi;
    }

    /** The LiveChat organization (v3); empty in demo mode. */
    public Optional<String> organizationId() {
        return organizationId;
    }

    /** The OAuth app's client id (v3). */
    public Optional<String> clientId() {
        return clientId;
    }

    /** The OAuth app's client secret (v3): never logged or shown. */
    public Optional<String> clientSecret() {
        return clientSecret;
    }

    /** The refresh token of the agent who granted {@code customers:own} (v3): never logged or shown. */
    public Optional<String> refreshToken() {
        return refreshToken;
    }

    /** Base URL of LiveChat's accounts service (v3), without a trailing slash. */
    public URI accountsUrl() {
        return accountsUrl;
    }

    /** The Customer Chat API version spoken (v3), e.g. {@code 3.6}. */
    public String apiVersion() {
        return apiVersion;
    }

    /** The LiveChat licence number; empty in demo mode. */
    public Optional<String> licenceId() {
        return licenceId;
    }

    /** Base URL of the upstream API, without a trailing slash; not used in demo mode. */
    public URI apiUrl() {
        return apiUrl;
    }

    /** The {@code welcome_message} every chat is started with, shown to the agent. */
    public String welcomeMessage() {
        return welcomeMessage;
    }

    /**
     * The greeting the chat page shows in this language, when the site owner set one
     * ({@code welcome-message-<language>}, else {@code welcome-message}); else the page's own.
     */
    public Optional<String> greeting(String language) {
        return Optional.ofNullable(greetings.getOrDefault(language, greetings.get("")));
    }

    /**
     * The promise of an answer time the chat page shows in this language, when the site owner
     * set one ({@code answer-time-<language>}, else {@code answer-time}): empty text for none.
     */
    public Optional<String> answerTime(String language) {
        return Optional.ofNullable(answerTimes.getOrDefault(language, answerTimes.get("")));
    }

    /** Exact origins of the sites allowed to embed the widget; empty means none configured. */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** How long one upstream call may take before it counts as timed out. */
    public Duration upstreamTimeout() {
        return upstreamTimeout;
    }

    /** Most pooled connections to the upstream. */
    public int upstreamConnections() {
        return upstreamConnections;
    }

    /** Poll interval right after the visitor sends or an agent writes. */
    public Duration pollFastInterval() {
        return pollFastInterval;
    }

    /** How long the fast poll interval lasts after activity. */
    public Duration pollFastWindow() {
        return pollFastWindow;
    }

    /** Poll interval while tabs are attached and the chat is quiet. */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** Poll interval while no tab is attached (the grace period). */
    public Duration pollIdleInterval() {
        return pollIdleInterval;
    }

    /** Most upstream polls in flight at once on this node. */
    public int pollsInFlight() {
        return pollsInFlight;
    }

    /** How long a chat is kept alive after its last tab has gone. */
    public Duration gracePeriod() {
        return gracePeriod;
    }

    /** How often the groups' statuses are read (v3) while tabs are open: one call per node, whatever its visitors. */
    public Duration availabilityInterval() {
        return availabilityInterval;
    }

    /**
     * What agents are told of the page the visitor is on: {@code path} (its origin and path, the
     * default), {@code full} (with the query string too) or {@code off}. Never the fragment.
     */
    public String shareVisitorPage() {
        return shareVisitorPage;
    }

    /** How this node shares conversations with others; empty when it runs alone. */
    public Optional<ClusterSettings> cluster() {
        return cluster;
    }

    /** Most conversations held by this node, or by all nodes together when they share them. */
    public int maxConversations() {
        return maxConversations;
    }

    /** Most tabs attached to one visitor's conversation. */
    public int maxTabsPerVisitor() {
        return maxTabsPerVisitor;
    }

    /** Longest message a visitor may send, in characters. */
    public int maxMessageLength() {
        return maxMessageLength;
    }

    /** Emulator: a chat closes after this long without a get_pending_messages call. */
    public Duration emulatorChatTimeout() {
        return emulatorChatTimeout;
    }

    /** Emulator: how long the demo agent waits before joining and before each answer. */
    public Duration emulatorAgentDelay() {
        return emulatorAgentDelay;
    }

    /** Emulator: whether the demo agent joins new chats and answers. */
    public boolean emulatorDemoAgent() {
        return emulatorDemoAgent;
    }

    /**
     * Where conversations are stored to survive a restart, when it is set; when it is not, they
     * are stored in a default place, unless {@link #memoryOnly()}.
     */
    public Optional<Path> dataDir() {
        return dataDir;
    }

    /** Whether {@code data-dir=none} asks for conversations to be kept in memory only. */
    public boolean memoryOnly() {
        return memoryOnly;
    }

    /**
     * The header a trusted reverse proxy puts the client's address in (its last value is used);
     * empty uses the connection's address.
     */
    /** The types of files visitors may send ({@code upload-types}). */
    public List<String> uploadTypes() {
        return uploadTypes;
    }

    public Optional<String> clientIpHeader() {
        return clientIpHeader;
    }

    /** Chats one visitor may start. */
    public Rate chatStartsPerVisitor() {
        return chatStartsPerVisitor;
    }

    /** Chats that may be started from one client address. */
    public Rate chatStartsPerIp() {
        return chatStartsPerIp;
    }

    /** Messages one visitor may send. */
    public Rate messagesPerVisitor() {
        return messagesPerVisitor;
    }

    /** WebSocket connections that may be opened from one client address. */
    public Rate connectionsPerIp() {
        return connectionsPerIp;
    }

    /** WebSocket connections that may be open at once from one client address. */
    public int tabsPerIp() {
        return tabsPerIp;
    }

    /** How long a new WebSocket connection may take to say hello before it is closed. */
    public Duration helloTimeout() {
        return helloTimeout;
    }

    /** Settings that were given but are not Parley settings: most likely typos. */
    public Set<String> unknownNames() {
        return unknownNames;
    }
}
