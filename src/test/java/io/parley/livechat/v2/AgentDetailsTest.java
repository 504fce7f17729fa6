package io.parley.livechat.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentDetailsTest {

    private static Optional<URI> avatar(String avatar) {
        return new UpstreamEvent.AgentDetails(1, Instant.EPOCH, "Ada", null, avatar).avatarUrl();
    }

    @Test
    void avatarsWithoutASchemeGetHttps() {
        assertEquals(Optional.of(URI.create("https://livechat.s3.amazonaws.com/default/avatars/female_6.jpg")),
                avatar("livechat.s3.amazonaws.com/default/avatars/female_6.jpg"));
        assertEquals(Optional.of(URI.create("https://cdn.example.com/a.png")), avatar("//cdn.example.com/a.png"));
        assertEquals(Optional.of(URI.create("http://cdn.example.com/a.png")), avatar("http://cdn.example.com/a.png"));
    }

    @Test
    void onlyHttpAvatarsAreOffered() {
        assertEquals(Optional.empty(), avatar("javascript:alert(1)"));
        assertEquals(Optional.empty(), avatar("data:image/svg+xml,<svg onload=alert(1)>"));
        assertEquals(Optional.empty(), avatar("  "));
        assertEquals(Optional.empty(), avatar(null));
        assertEquals(Optional.empty(), avatar("https://exa mple.com/a b"));
    }

    @Test
    void sessionsNeverShowTheirIds() {
        UpstreamSession session = new UpstreamSession("visitor-42", "CS123.abc");
        assertEquals("UpstreamSession[ids redacted]", session.toString());
        assertEquals("no [redacted] for [redacted]", session.redact("no CS123.abc for visitor-42"));
    }
}
