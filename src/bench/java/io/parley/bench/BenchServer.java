package io.parley.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A server for the benchmark, in a JVM of its own: {@code parley} (the WAR's web app with the
 * emulator, settings as {@code name=value} arguments), {@code echo} (a bare Jakarta WebSocket
 * echo endpoint, the baseline) or {@code hog} (spinning threads, for overload, no server). Both serve {@code /bench/stats}: heap after a full GC, process
 * CPU time. Prints {@code PORT n}, and stops when its standard input closes. A
 * {@code bench-port=n} argument picks the port.
 */
public final class BenchServer {

    /** The argument that asks for a port, e.g. to restart where the tabs will reconnect. */
    static final String PORT_ARG = "bench-port=";

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("hog")) {
            hog(Integer.parseInt(args[1].substring("threads=".length())));
            return;
        }
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("bench-server");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        for (String arg : args) {
            if (arg.startsWith(PORT_ARG)) {
                connector.setPort(Integer.parseInt(arg.substring(PORT_ARG.length()))); // a restart on the same port
            }
        }
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);

        ServletContextHandler stats = new ServletContextHandler("/bench");
        stats.addServlet(StatsServlet.class, "/stats");
        ContextHandler app = args[0].equals("echo") ? echo() : parley(args);
        server.setHandler(new ContextHandlerCollection(stats, app));
        server.start();
        System.out.println("PORT " + connector.getLocalPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the benchmark closes our standard input
        }
        server.stop();
        System.exit(0);
    }

    /** Spins this many threads until standard input closes: a machine busy with something else. */
    private static void hog(int threads) throws Exception {
        for (int i = 0; i < threads; i++) {
            Thread spinner = new Thread(() -> {
                long sink = 0;
                while (true) {
                    sink += System.nanoTime() % 7; // work the JIT cannot remove
                    if (sink == Long.MIN_VALUE) {
                        System.out.println(sink);
                    }
                }
            }, "hog-" + i);
            spinner.setDaemon(true);
            spinner.start();
        }
        System.out.println("PORT 0");
        System.out.flush();
        while (System.in.read() >= 0) {
            // spins until the benchmark closes our standard input
        }
        System.exit(0);
    }

    private static ContextHandler parley(String[] args) {
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setBaseResourceAsPath(Path.of("webapp").toAbsolutePath());
        webapp.setParentLoaderPriority(true);
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith(PORT_ARG)) {
                continue;
            }
            int equals = args[i].indexOf('=');
            webapp.setInitParameter("parley." + args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        return webapp; // Jetty finds Parley's and its own WebSocket initializer, as in a deployment
    }

    private static ContextHandler echo() {
        ServletContextHandler context = new ServletContextHandler("/");
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) ->
                container.addEndpoint(ServerEndpointConfig.Builder.create(Echo.class, "/echo").build()));
        return context;
    }

    /** Echoes every text frame: the least a WebSocket endpoint can hold per connection. */
    public static final class Echo extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxIdleTimeout(0);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text ->
                    session.getAsyncRemote().sendText(text));
        }
    }

    /** Heap in use after a full collection, and the process's CPU time so far. */
    public static final class StatsServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long heap = memory.getHeapMemoryUsage().getUsed();
            long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            response.setContentType("application/json");
            response.getWriter().write("{\"heap\":" + heap + ",\"cpu_ns\":" + cpu + "}");
        }
    }
}
