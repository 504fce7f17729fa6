package io.parley.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings load(String... pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return Settings.load(SettingSource.of(values));
    }

    private static String failure(String... pairs) {
        return assertThrows(InvalidSettingException.class, () -> load(pairs)).getMessage();
    }

    @Test
    void defaultsAreDemoModeWithTheDocumentedValues() {
        Settings settings = load();
        assertTrue(settings.demoMode());
        assertEquals(Optional.empty(), settings.licenceId());
        assertEquals(URI.create("https://api.livechatinc.com"), settings.apiUrl());
        assertEquals(List.of(), settings.allowedOrigins());
        assertEquals(Duration.ofSeconds(5), settings.upstreamTimeout());
        assertEquals("Hello! How can we help you today?", settings.welcomeMessage());
        assertEquals(64, settings.upstreamConnections());
        assertEquals(Duration.ofSeconds(1), settings.pollFastInterval());
        assertEquals(Duration.ofSeconds(30), settings.pollFastWindow());
        assertEquals(Duration.ofSeconds(8), settings.pollInterval());
        assertEquals(Duration.ofSeconds(8), settings.pollIdleInterval());
        assertEquals(256, settings.pollsInFlight());
        assertEquals(Duration.ofMinutes(5), settings.gracePeriod());
        assertEquals(10_000, settings.maxConversations());
        assertEquals(10, settings.maxTabsPerVisitor());
        assertEquals(4000, settings.maxMessageLength());
        assertEquals(Duration.ofSeconds(30), settings.emulatorChatTimeout());
        assertEquals(Duration.ofSeconds(2), settings.emulatorAgentDelay());
        assertTrue(settings.emulatorDemoAgent());
        assertEquals(Optional.empty(), settings.dataDir(), "not set: the default place, chosen at start-up");
        assertFalse(settings.memoryOnly());
        assertEquals(Optional.empty(), settings.clientIpHeader());
        assertEquals(new Rate(5, Duration.ofHours(1)), settings.chatStartsPerVisitor());
        assertEquals(new Rate(60, Duration.ofHours(1)), settings.chatStartsPerIp());
        assertEquals(new Rate(30, Duration.ofMinutes(1)), settings.messagesPerVisitor());
        assertEquals(new Rate(120, Duration.ofMinutes(1)), settings.connectionsPerIp());
        assertEquals(200, settings.tabsPerIp());
        assertEquals(Duration.ofSeconds(10), settings.helloTimeout());
        assertEquals("", settings.mountPath());
        assertEquals(Duration.ofSeconds(10), settings.shutdownTimeout());
        assertEquals(Duration.ofSeconds(30), settings.unreadyAfter());
        assertEquals(Optional.empty(), settings.metricsToken());
    }

    @Test
    void theUpstreamApiFollowsTheAccountSettingsAndTheDemoSpeaksV3UnlessAskedForV2() {
        assertEquals(Settings.UpstreamApi.LIVECHAT_V3, load().upstreamApi());
        assertEquals(Settings.UpstreamApi.LIVECHAT_V2, load("demo-upstream", "v2").upstreamApi());
        assertEquals(Settings.UpstreamApi.LIVECHAT_V2, load("licence-id", "123").upstreamApi());
        Settings v3 = load("organization-id", "org-1", "client-id", "app-1", "client-secret", "secret-123",
                "refresh-token", "dal:refresh-123");
        assertEquals(Settings.UpstreamApi.LIVECHAT_V3, v3.upstreamApi());
        assertFalse(v3.demoMode());
        assertEquals("3.6", v3.apiVersion());
        assertEquals("https://accounts.livechat.com", v3.accountsUrl().toString());
        assertEquals(Settings.UpstreamApi.LIVECHAT_V2, load("organization-id", "org-1", "licence-id", "123",
                "upstream", "livechat-v2").upstreamApi());
        assertEquals("3.7", load("api-version", "3.7").apiVersion());
    }

    @Test
    void aMissingV3CredentialStopsStartUpNamingItWithoutRepeatingAnySecret() {
        String missing = failure("organization-id", "org-1", "client-id", "app-1", "client-secret", "secret-123");
        assertTrue(missing.contains("refresh-token") && missing.contains("required"), missing);
        assertFalse(missing.contains("secret-123"), missing);
        assertTrue(failure("upstream", "livechat-v3", "licence-id", "123").contains("organization-id"));
        assertTrue(failure("upstream", "livechat-v3").contains("organization-id"));
        assertTrue(failure("upstream", "livechat-v4").contains("livechat-v2, livechat-v3"));
        assertTrue(failure("api-version", "latest").contains("api-version"));
        String shortSecret = failure("organization-id", "org-1", "client-id", "app-1", "client-secret", "abc",
                "refresh-token", "dal:refresh-123");
        assertTrue(shortSecret.contains("client-secret") && !shortSecret.contains("abc"), shortSecret);
    }

    @Test
    void logSettingsAreChecked() {
        load("log-format", "json", "log-level", "WARN"); // accepted, and not reported as unknown
        assertEquals(Set.of(), load("log-format", "text").unknownNames());
        assertEquals("Invalid setting log-format (setting log-format): 'xml' must be one of text, json",
                failure("log-format", "xml"));
        assertEquals("Invalid setting log-level (setting log-level): 'verbose' must be one of TRACE, DEBUG, INFO, "
                + "WARN, ERROR", failure("log-level", "verbose"));
    }

    @Test
    void mountPathsAreParsed() {
        assertEquals("/support/chat", load("mount-path", " /support/chat/ ").mountPath());
        assertEquals("", load("mount-path", "/").mountPath());
        assertEquals("/help.v2/chat_1~x", load("mount-path", "/help.v2/chat_1~x").mountPath());
        for (String bad : List.of("support", "/support//chat", "/support/../admin", "/a b", "/*", "/chat?x=1", "/%2e")) {
            assertEquals("Invalid setting mount-path (setting mount-path): '" + bad + "' is not a path such as "
                    + "/support/chat (letters, digits and . _ ~ - between slashes)", failure("mount-path", bad), bad);
        }
    }

    @Test
    void limitsPathsAndHeadersAreParsed() {
        Settings settings = load("data-dir", "var/parley", "client-ip-header", "X-Real-IP",
                "messages-per-visitor", " 10 / 30s ", "connections-per-ip", "1000/1h");
        assertEquals(Optional.of(Path.of("var/parley").toAbsolutePath()), settings.dataDir());
        assertEquals(Optional.of("X-Real-IP"), settings.clientIpHeader());
        assertEquals(new Rate(10, Duration.ofSeconds(30)), settings.messagesPerVisitor());
        assertEquals(new Rate(1000, Duration.ofHours(1)), settings.connectionsPerIp());
        assertEquals("Invalid setting messages-per-visitor (setting messages-per-visitor): '30' is not a limit; write "
                + "it as a count of 1 or more, a slash and a duration, e.g. 30/1m", failure("messages-per-visitor", "30"));
        assertEquals("Invalid setting chat-starts-per-ip (setting chat-starts-per-ip): '0/1h' is not a limit; write "
                + "it as a count of 1 or more, a slash and a duration, e.g. 30/1m", failure("chat-starts-per-ip", "0/1h"));
        assertEquals("Invalid setting connections-per-ip (setting connections-per-ip): '5/2d' is not a limit; write "
                + "it as a count of 1 or more, a slash and a duration, e.g. 30/1m", failure("connections-per-ip", "5/2d"));
        assertEquals("Invalid setting chat-starts-per-visitor (setting chat-starts-per-visitor): '5/100ms' must count "
                + "over a duration between 1s and 24h", failure("chat-starts-per-visitor", "5/100ms"));
        assertEquals("Invalid setting client-ip-header (setting client-ip-header): 'X Forwarded' is not an HTTP "
                + "header name such as X-Forwarded-For", failure("client-ip-header", "X Forwarded"));
        assertEquals("Invalid setting data-dir (setting data-dir): 'bad\u0000path' is not a valid path",
                failure("data-dir", "bad\u0000path"));
    }

    @Test
    void valuesAreParsed() {
        Settings settings = load("licence-id", " 123 ", "api-url", "http://127.0.0.1:9000/api/",
                "allowed-origins", "https://www.example.com, http://localhost:3000",
                "poll-interval", "2500ms", "poll-idle-interval", "PT9S", "grace-period", "2m",
                "emulator-demo-agent", "FALSE");
        assertFalse(settings.demoMode());
        assertEquals(Optional.of("123"), settings.licenceId());
        assertEquals(URI.create("http://127.0.0.1:9000/api"), settings.apiUrl());
        assertEquals(List.of("https://www.example.com", "http://localhost:3000"), settings.allowedOrigins());
        assertEquals(Duration.ofMillis(2500), settings.pollInterval());
        assertEquals(Duration.ofSeconds(9), settings.pollIdleInterval());
        assertEquals(Duration.ofMinutes(2), settings.gracePeriod());
        assertFalse(settings.emulatorDemoAgent());
    }

    @Test
    void initParametersWinOverSystemPropertiesWhichWinOverTheEnvironment() {
        Properties properties = new Properties();
        properties.setProperty("parley.api-url", "https://from-property.example");
        properties.setProperty("parley.upstream-connections", "7");
        Map<String, String> environment = Map.of(
                "PARLEY_API_URL", "https://from-env.example",
                "PARLEY_UPSTREAM_CONNECTIONS", "8",
                "PARLEY_POLL_FAST_WINDOW", "45s");
        Map<String, String> initParameters = Map.of("parley.api-url", "https://from-init.example");
        SettingSource source = SettingSource.firstOf(
                SettingSource.initParameters(initParameters::get, () -> List.copyOf(initParameters.keySet())),
                SettingSource.systemProperties(properties),
                SettingSource.environment(environment));

        Settings settings = Settings.load(source);

        assertEquals(URI.create("https://from-init.example"), settings.apiUrl());
        assertEquals(7, settings.upstreamConnections());
        assertEquals(Duration.ofSeconds(45), settings.pollFastWindow());
        assertEquals(Set.of(), settings.unknownNames());
    }

    @Test
    void errorsNameTheSettingItsOriginAndTheProblem() {
        Properties properties = new Properties();
        properties.setProperty("parley.upstream-connections", "many");
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> Settings.load(SettingSource.systemProperties(properties)));
        assertEquals("Invalid setting upstream-connections (system property parley.upstream-connections): "
                + "'many' is not a whole number", e.getMessage());

        e = assertThrows(InvalidSettingException.class,
                () -> Settings.load(SettingSource.environment(Map.of("PARLEY_POLL_INTERVAL", "-3s"))));
        assertEquals("Invalid setting poll-interval (environment variable PARLEY_POLL_INTERVAL): '-3s' must not be "
                + "negative", e.getMessage());
    }

    @Test
    void eachBadValueHasItsOwnMessage() {
        assertEquals("Invalid setting api-url (setting api-url): 'ftp://files.example.com' is not an http(s) URL "
                + "such as https://api.livechatinc.com", failure("api-url", "ftp://files.example.com"));
        assertEquals("Invalid setting api-url (setting api-url): 'api.livechatinc.com' is not an http(s) URL "
                + "such as https://api.livechatinc.com", failure("api-url", "api.livechatinc.com"));
        assertEquals("Invalid setting licence-id (setting licence-id): 'abc' must be a number (digits only)",
                failure("licence-id", "abc"));
        assertEquals("Invalid setting upstream-timeout (setting upstream-timeout): '10' is not a duration; write it "
                + "as a number and a unit, e.g. 500ms, 10s, 5m or 1h", failure("upstream-timeout", "10"));
        assertEquals("Invalid setting grace-period (setting grace-period): 'PT-5M' must not be negative",
                failure("grace-period", "PT-5M"));
        assertEquals("Invalid setting poll-idle-interval (setting poll-idle-interval): '30s' must be between 100ms "
                + "and 10s", failure("poll-idle-interval", "30s"));
        assertEquals("Invalid setting max-tabs-per-visitor (setting max-tabs-per-visitor): '0' must be between 1 "
                + "and 1000", failure("max-tabs-per-visitor", "0"));
        assertEquals("Invalid setting emulator-demo-agent (setting emulator-demo-agent): 'yes' must be true or false",
                failure("emulator-demo-agent", "yes"));
        assertEquals("Invalid setting allowed-origins (setting allowed-origins): 'https://*.example.com' is not an "
                + "exact origin such as https://www.example.com",
                failure("allowed-origins", "https://ok.example.com,https://*.example.com"));
        assertEquals("Invalid setting allowed-origins (setting allowed-origins): 'https://example.com/shop' is not "
                + "an exact origin such as https://www.example.com", failure("allowed-origins", "https://example.com/shop"));
        assertEquals("Invalid setting poll-fast-interval: (5s) must not be longer than poll-interval (3s)",
                failure("poll-fast-interval", "5s", "poll-interval", "3s"));
        assertEquals("Invalid setting poll-interval: (9s) must not be longer than poll-idle-interval (8s)",
                failure("poll-interval", "9s"));
        assertEquals("Invalid setting upstream-timeout: (10s) is too long for poll-idle-interval (8s): two timed-out "
                + "polls in a row could let the upstream close the chat; keep poll-idle-interval + 2 x "
                + "upstream-timeout within 25s", failure("upstream-timeout", "10s"));
        assertEquals("Invalid setting welcome-message: is longer than the upstream's 1024 characters",
                failure("welcome-message", "x".repeat(1025)));
    }

    @Test
    void originsAreWhatBrowsersSend() {
        assertEquals(List.of("https://shop.example.com", "http://example.com", "https://example.com:8443",
                "http://[::1]:3000"), load("allowed-origins",
                "HTTPS://Shop.Example.com:443, http://example.com:80/, https://example.com:8443, http://[::1]:3000")
                .allowedOrigins(), "default ports are left out, as no browser sends them");
        for (String scheme : List.of("ftp://a.com", "javascript://a.com", "ws://a.com", "file://a.com")) {
            assertEquals("Invalid setting allowed-origins (setting allowed-origins): '" + scheme + "' is not an http or "
                    + "https origin", failure("allowed-origins", scheme), scheme);
        }
        for (String port : List.of("https://a.com:99999", "https://a.com:0", "https://a.com:")) {
            assertEquals("Invalid setting allowed-origins (setting allowed-origins): '" + port + "' has no valid port "
                    + "(1 to 65535)", failure("allowed-origins", port), port);
        }
        for (String bad : List.of("https://", "https://a.com:-1", "https://user@a.com", "https://a.com?x", "a.com")) {
            assertEquals("Invalid setting allowed-origins (setting allowed-origins): '" + bad + "' is not an exact "
                    + "origin such as https://www.example.com", failure("allowed-origins", bad), bad);
        }
    }

    @Test
    void textsAreSetPerLanguage() {
        Settings settings = load("welcome-message", "Hi there", "welcome-message-de", "Hallo", "answer-time-fr", "NONE");
        assertEquals(Optional.of("Hallo"), settings.greeting("de"));
        assertEquals(Optional.of("Hi there"), settings.greeting("pl"));
        assertEquals(Optional.of(""), settings.answerTime("fr"), "none hides the promise");
        assertEquals(Optional.empty(), settings.answerTime("en"), "the page's own");
        assertEquals(Optional.empty(), load().greeting("en"));
        assertEquals(Set.of(), settings.unknownNames());
        assertEquals("Invalid setting answer-time-de: is longer than 200 characters", failure("answer-time-de", "x".repeat(201)));
    }

    @Test
    void credentialsInTheApiUrlAreRefusedWithoutRepeatingThem() {
        String message = failure("api-url", "https://parley:s3cret-pass@api.example.com");
        assertEquals("Invalid setting api-url (setting api-url): must not carry a user name or password "
                + "(user:password@ before the host)", message);
        assertFalse(message.contains("s3cret"));
        for (String url : List.of("https://user:p@ss@api.example.com", "https://user:p%zz@api.example.com",
                "https://user:pa/ss w@api.example.com", "user:s3cret@api.example.com")) {
            String refused = failure("api-url", url);
            assertFalse(refused.contains("s3cret") || refused.contains("p@ss") || refused.contains("p%zz")
                    || refused.contains("pa/ss"), refused);
        }
    }

    @Test
    void aMetricsTokenMustBeLongEnoughAndIsNeverRepeated() {
        assertEquals(Optional.of("0123456789abcdef"), load("metrics-token", " 0123456789abcdef ").metricsToken());
        assertEquals("Invalid setting metrics-token (setting metrics-token): is blank; remove the setting to leave it "
                + "unset, or give a secret of at least 16 characters", failure("metrics-token", "   "));
        String shortToken = failure("metrics-token", "hunter2");
        assertEquals("Invalid setting metrics-token (setting metrics-token): is too short (7 characters); use at "
                + "least 16, e.g. the output of openssl rand -hex 24", shortToken);
        assertFalse(shortToken.contains("hunter2"));
        assertEquals("Invalid setting metrics-token (environment variable PARLEY_METRICS_TOKEN): is blank; remove the "
                + "setting to leave it unset, or give a secret of at least 16 characters",
                assertThrows(InvalidSettingException.class, () -> Settings.load(
                        SettingSource.environment(Map.of("PARLEY_METRICS_TOKEN", "")))).getMessage());
    }

    @Test
    void messagesStayOnOneLine() {
        String message = failure("upstream-connections", "12\nthirteen");
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void unknownNamesAreReportedAsLikelyTypos() {
        Settings settings = Settings.load(SettingSource.firstOf(
                SettingSource.of(Map.of("pol-interval", "2s")),
                SettingSource.environment(Map.of("PARLEY_LICENSE_ID", "1", "PATH", "/bin"))));
        assertEquals(Set.of("pol-interval", "license-id"), settings.unknownNames());
    }

    @Test
    void blankValuesCountAsUnset() {
        Settings settings = load("licence-id", "  ", "api-url", "");
        assertTrue(settings.demoMode());
        assertEquals(Settings.DEFAULT_API_URL, settings.apiUrl());
    }

    @Test
    void dataDirNoneKeepsConversationsInMemoryOnly() {
        Settings settings = load("data-dir", "None");
        assertTrue(settings.memoryOnly());
        assertEquals(Optional.empty(), settings.dataDir());
    }

    @Test
    void clusterSettingsNameTheMembersAndANodeWithoutThemRunsAlone() {
        assertTrue(load().cluster().isEmpty());
        assertTrue(load("cluster-port", "5801", "cluster-name", "other").cluster().isEmpty());
        ClusterSettings cluster = load("cluster-members", " 10.0.0.1:5701, parley-2 ,[fd00::3]:5703",
                "cluster-port", "5702", "cluster-interface", "10.0.0.2").cluster().orElseThrow();
        assertEquals(List.of(new ClusterSettings.Member("10.0.0.1", 5701), new ClusterSettings.Member("parley-2", 5701),
                new ClusterSettings.Member("fd00::3", 5703)), cluster.members());
        assertEquals("[fd00::3]:5703", cluster.members().get(2).toString());
        assertEquals(5702, cluster.port());
        assertEquals("parley", cluster.name());
        assertEquals(java.util.Optional.of("10.0.0.2"), cluster.networkInterface());
    }

    @Test
    void badClusterSettingsStopTheStartNamingTheSetting() {
        assertTrue(failure("cluster-members", "a:99999").contains("setting cluster-members"), failure("cluster-members", "a:99999"));
        assertTrue(failure("cluster-members", ",,").contains("names no member"));
        assertTrue(failure("cluster-members", "a b:1").contains("setting cluster-members"));
        assertTrue(failure("cluster-members", "a:1", "cluster-port", "0").contains("setting cluster-port"));
        assertTrue(failure("cluster-members", "a:1", "cluster-name", "no spaces").contains("setting cluster-name"));
        assertTrue(failure("cluster-members", "a:1", "cluster-interface", "a/b").contains("setting cluster-interface"));
    }
}
