package io.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built WAR, deployed on Tomcat 10.1 under a context path. */
class TomcatWarIT {

    @Test
    void theWarChatsOnTomcat(@TempDir Path work) throws Exception {
        Files.createDirectories(work.resolve("webapps"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(work.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.getConnector().setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.setAddDefaultWebXmlToWebapp(false); // its defaults include a JSP servlet, not embedded here
        Context context = tomcat.addWebapp("/parley", Packaged.war().toString());
        Tomcat.addDefaultMimeTypeMappings(context);
        Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
        context.addServletMappingDecoded("/", "default");
        // The WAR's own jars are scanned as ever; the test JVM's classpath is not part of a deployment.
        ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
        try {
            tomcat.start();
            assertEquals(LifecycleState.STARTED, context.getState(), "the WAR started on Tomcat");
            WholeChat.through(URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/parley"),
                    "Tomcat Visitor");
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
