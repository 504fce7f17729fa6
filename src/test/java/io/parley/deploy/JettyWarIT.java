package io.parley.deploy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built WAR, deployed on Jetty 12 (ee10) under a context path, as its deployer would. */
class JettyWarIT {

    @Test
    void theWarChatsOnJetty(@TempDir Path work) throws Exception {
        try (EmbeddedJetty jetty = new EmbeddedJetty(work, "/parley", Packaged.war(), Map.of())) {
            WholeChat.through(jetty.uri(), "Jetty Visitor");
        }
    }
}
