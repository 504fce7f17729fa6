package io.parley.emulator;

/** An agent as the upstream describes it in {@code agent_details}; the avatar URL may lack a scheme. */
public record AgentProfile(String name, String jobTitle, String avatar) {

    /** The demo agent, with an avatar under the site the chat was started through. */
    public static AgentProfile demo(String siteAddress) {
        return new AgentProfile("Ada", "Support Agent", siteAddress + "/emulator/assets/agent-ada.svg");
    }

    /** The agent a person at the console or the agent API chats as. */
    public static AgentProfile person(String siteAddress) {
        return new AgentProfile("Sam", "Support Agent", siteAddress + "/emulator/assets/agent-sam.svg");
    }
}
