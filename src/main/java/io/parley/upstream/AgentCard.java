package io.parley.upstream;

/** An agent as tabs see them: name, job title, and an avatar URL that is always http(s) or absent. */
public record AgentCard(String name, String jobTitle, String avatarUrl) {
}
