package io.parley.deploy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host application with Parley's jar inside ({@link HostApplication}), on Jetty 12. */
class JettyHostAppIT {

    @Test
    void aHostApplicationChatsThroughParleyMountedBelowItsOwnPages(@TempDir Path work) throws Exception {
        Path shop = HostApplication.build(work.resolve("shop"));
        try (EmbeddedJetty jetty = new EmbeddedJetty(work, "/shop", shop, HostApplication.PARAMETERS)) {
            HostApplication.assertServesBothAt(jetty.uri(), "Shop Visitor");
        }
    }
}
