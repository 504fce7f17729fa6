package io.parley.deploy;

import io.parley.testing.Loopback;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host application with Parley's jar inside ({@link HostApplication}), on Jetty 12. */
class JettyHostAppIT {

    @Test
    void aHostApplicationChatsThroughParleyMountedBelowItsOwnPages(@TempDir Path work) throws Exception {
        Loopback loopback = new Loopback();
        Server server = loopback.server();
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/shop");
        webapp.setBaseResourceAsPath(HostApplication.build(work.resolve("shop")));
        webapp.setTempDirectory(work.resolve("tmp").toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        HostApplication.PARAMETERS.forEach(webapp::setInitParameter); // as a Jetty context XML would
        server.setHandler(webapp);
        try {
            server.start();
            HostApplication.assertServesBothAt(URI.create("http://127.0.0.1:" + loopback.port() + "/shop"), "Shop Visitor");
        } finally {
            LifeCycle.stop(server);
        }
    }
}
