package io.parley.deploy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built WAR, deployed on Tomcat 10.1 under a context path. */
class TomcatWarIT {

    @Test
    void theWarChatsOnTomcat(@TempDir Path work) throws Exception {
        try (EmbeddedTomcat tomcat = new EmbeddedTomcat(work, "/parley", Packaged.war(), Map.of())) {
            WholeChat.through(tomcat.uri(), "Tomcat Visitor");
        }
    }
}
