package io.parley.deploy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host application with Parley's jar inside ({@link HostApplication}), on Tomcat 10.1. */
class TomcatHostAppIT {

    @Test
    void aHostApplicationChatsThroughParleyMountedBelowItsOwnPages(@TempDir Path work) throws Exception {
        Path shop = HostApplication.build(work.resolve("shop"));
        try (EmbeddedTomcat tomcat = new EmbeddedTomcat(work, "/shop", shop, HostApplication.PARAMETERS)) {
            HostApplication.assertServesBothAt(tomcat.uri(), "Tomcat Shop Visitor");
        }
    }
}
