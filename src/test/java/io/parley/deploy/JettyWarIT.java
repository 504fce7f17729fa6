package io.parley.deploy;

import io.parley.testing.Loopback;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built WAR, deployed on Jetty 12 (ee10) under a context path, as its deployer would. */
class JettyWarIT {

    @Test
    void theWarChatsOnJetty(@TempDir Path work) throws Exception {
        Loopback loopback = new Loopback();
        Server server = loopback.server();
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/parley");
        webapp.setWar(Packaged.war().toString());
        webapp.setTempDirectory(work.toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        try {
            server.start();
            WholeChat.through(URI.create("http://127.0.0.1:" + loopback.port() + "/parley"), "Jetty Visitor");
        } finally {
            LifeCycle.stop(server);
        }
    }
}
