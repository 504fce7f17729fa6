package io.parley.relay;

import io.parley.upstream.UpstreamEvent;
import java.net.URI;

/** An agent as tabs see them: name, job title, and an avatar URL that is always http(s) or absent. */
public record AgentCard(String name, String jobTitle, String avatarUrl) {

    static AgentCard of(UpstreamEvent.AgentDetails details) {
        return new AgentCard(details.name(), details.jobTitle(), details.avatarUrl().map(URI::toString).orElse(null));
    }
}
