package io.parley.emulator;

/** An agent as the upstream describes it in {@code agent_details}. */
public record AgentProfile(String name, String jobTitle, String avatar) {

    /** The demo agent, with an avatar under the URL the chat was started through. */
    public static AgentProfile demo(String siteUrl) {
        return new AgentProfile("Ada", "Support Agent", siteUrl + "/emulator/assets/agent-ada.svg");
    }

    /** The agent a person at the console or the agent API chats as. */
    public static AgentProfile person(String siteUrl) {
        return new AgentProfile("Sam", "Support Agent", siteUrl + "/emulator/assets/agent-sam.svg");
    }
}
