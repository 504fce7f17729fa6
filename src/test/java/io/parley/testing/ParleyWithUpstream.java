package io.parley.testing;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Parley in licence mode against an emulator server of its own, for tests that stop and start
 * Parley while its upstream stays up: {@code @RegisterExtension final ParleyWithUpstream servers = new ParleyWithUpstream();}
 */
public final class ParleyWithUpstream implements BeforeEachCallback, AfterEachCallback {

    private TestServer upstream;
    private AgentApi agent;
    private TestServer parley;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        upstream = TestServer.start(Map.of("emulator-demo-agent", "false"));
        agent = new AgentApi(upstream);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopParley();
        upstream.close();
    }

    /** Starts Parley for licence 123 with the emulator as its upstream, and these settings besides. */
    public TestServer startParley(Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.put("licence-id", "123");
        all.put("api-url", upstream.emulatorUri().toString());
        parley = TestServer.start(all);
        return parley;
    }

    /** Stops Parley as its container would, if it runs. */
    public void stopParley() {
        if (parley != null) {
            parley.close();
            parley = null;
        }
    }

    /** The upstream's agent API. */
    public AgentApi agent() {
        return agent;
    }
}
