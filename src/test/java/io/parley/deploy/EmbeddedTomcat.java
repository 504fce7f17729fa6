package io.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/** One web application on an embedded Tomcat 10.1, on a free port of 127.0.0.1. */
final class EmbeddedTomcat implements AutoCloseable {

    private final Tomcat tomcat = new Tomcat();
    private final String contextPath;

    /**
     * Deploys {@code application} (a WAR file or a directory) at {@code contextPath} with these
     * context parameters, as a {@code context.xml} would give them, and starts it.
     */
    EmbeddedTomcat(Path work, String contextPath, Path application, Map<String, String> parameters) throws Exception {
        this.contextPath = contextPath;
        Files.createDirectories(work.resolve("webapps")); // Tomcat's base must have one
        tomcat.setBaseDir(work.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.getConnector().setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.setAddDefaultWebXmlToWebapp(false); // its defaults include a JSP servlet, not embedded here
        Context context = tomcat.addWebapp(contextPath, application.toString());
        Tomcat.addDefaultMimeTypeMappings(context);
        // Without a servlet on "/", embedded Tomcat answers a WebSocket upgrade with 404.
        Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
        context.addServletMappingDecoded("/", "default");
        context.addWelcomeFile("index.html");
        parameters.forEach(context::addParameter);
        // The application's own jars are scanned as ever; the test JVM's classpath is not part of a deployment.
        ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
        try {
            tomcat.start();
            assertEquals(LifecycleState.STARTED, context.getState(), "the application started on Tomcat");
        } catch (LifecycleException | AssertionError e) {
            close();
            throw e;
        }
    }

    /** The application's base address, e.g. {@code http://127.0.0.1:40123/shop}. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + contextPath);
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
