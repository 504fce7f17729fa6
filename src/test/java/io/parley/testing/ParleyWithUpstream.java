package io.parley.testing;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Parley with a LiveChat account (not in demo mode) against an emulator server of its own, for tests that stop and start
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

    /**
     * Starts Parley with the emulator as its upstream, through the API of this run (a licence on
     * v2, the demo account on v3), and these settings besides.
     */
    public TestServer startParley(Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.putAll(TestedUpstream.current().accountSettings(upstream.emulatorUri()));
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
