package io.parley.emulator;

/** An agent as the upstream describes it in {@code agent_details}; the avatar URL may lack a scheme. */
public record AgentProfile(String name, String jobTitle, String avatar) {
}
