package io.parley.testing;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Parley on a free port for a whole test class, with the emulator's agent API beside it:
 * {@code @RegisterExtension static final RunningParley PARLEY = new RunningParley(settings);}
 */
public final class RunningParley implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> settings;
    private TestServer server;
    private AgentApi agent;

    public RunningParley(Map<String, String> settings) {
        this.settings = settings;
    }

    /** A demo driven from the agent API, polled every few hundred milliseconds ({@link TestServer#POLLED_FAST}). */
    public static RunningParley polledFast() {
        return new RunningParley(TestServer.POLLED_FAST);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = TestServer.start(settings);
        agent = new AgentApi(server);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    public TestServer server() {
        return server;
    }

    public AgentApi agent() {
        return agent;
    }
}
