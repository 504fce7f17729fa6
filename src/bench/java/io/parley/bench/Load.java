package io.parley.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** The simulated tabs: every visitor's tabs, connected, in chats, dropped and resumed on demand. */
final class Load {

    private final WebSocketClient client;
    private final List<URI> nodes;
    /** Nodes killed: no tab goes there. */
    private final java.util.Set<Integer> down = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger spread = new java.util.concurrent.atomic.AtomicInteger();
    private final Tally tally;
    private final Benchmark.Options options;
    private final List<List<LoadTab>> tabs = new ArrayList<>();
    private final Semaphore connecting = new Semaphore(200);
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();

    Load(WebSocketClient client, URI ws, Tally tally, Benchmark.Options options) {
        this(client, List.of(ws), tally, options);
    }

    /**
     * Tabs spread over several nodes sharing their conversations: a visitor's first tab on node
     * {@code visitor % n}, the others (and every resumed tab) on the next nodes in turn.
     */
    Load(WebSocketClient client, List<URI> nodes, Tally tally, Benchmark.Options options) {
        this.client = client;
        this.nodes = List.copyOf(nodes);
        this.tally = tally;
        this.options = options;
    }

    /** Connects every tab: each visitor's first as a new visitor, the others with its token. */
    void connectAll() throws Exception {
        List<CompletableFuture<?>> visitors = new ArrayList<>();
        for (int v = 0; v < options.visitors; v++) {
            List<LoadTab> own = new ArrayList<>();
            tabs.add(own);
            LoadTab first = new LoadTab(v, null, tally);
            own.add(first);
            visitors.add(connect(first).thenCompose(welcomed -> {
                List<CompletableFuture<?>> others = new ArrayList<>();
                for (int t = 1; t < options.tabsPerVisitor; t++) {
                    LoadTab tab = new LoadTab(welcomed.visitor, welcomed.token, tally);
                    synchronized (own) {
                        own.add(tab);
                    }
                    others.add(connect(tab));
                }
                return CompletableFuture.allOf(others.toArray(CompletableFuture[]::new));
            }));
        }
        CompletableFuture.allOf(visitors.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        // Like the chat page, every tab pings every 30 s: the server drops connections silent for 2 minutes.
        pinger.scheduleAtFixedRate(this::pingAll, 30, 30, TimeUnit.SECONDS);
    }

    private void pingAll() {
        for (List<LoadTab> own : tabs) {
            synchronized (own) {
                own.forEach(tab -> tab.send("{\"type\":\"ping\"}"));
            }
        }
    }

    CompletableFuture<LoadTab> connect(LoadTab tab) {
        try {
            connecting.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        try {
            client.connect(tab, nodeFor(tab)).whenComplete((session, failure) -> {
                if (failure != null) {
                    tab.welcomed.completeExceptionally(failure);
                }
            });
        } catch (Exception e) {
            tab.welcomed.completeExceptionally(e);
        }
        return tab.welcomed.whenComplete((welcomed, failure) -> connecting.release());
    }

    private URI nodeFor(LoadTab tab) {
        int n = nodes.size();
        int first = tab.token == null ? tab.visitor % n : (tab.visitor + 1 + spread.getAndIncrement()) % n;
        for (int i = 0; i < n; i++) {
            int node = (first + i) % n;
            if (!down.contains(node)) {
                return nodes.get(node);
            }
        }
        return nodes.get(first);
    }

    /** The node is gone (or back): tabs resume elsewhere (or may go there again). */
    void nodeDown(int node, boolean isDown) {
        if (isDown) {
            down.add(node);
        } else {
            down.remove(node);
        }
    }

    /** Every visitor starts a chat from their first tab. */
    void startChats() {
        long now = System.currentTimeMillis();
        for (int v = 0; v < tabs.size(); v++) {
            tab(v, 0).send("{\"type\":\"start\",\"id\":\"v1\",\"text\":\"visitor " + v + " 1 " + now
                    + "\",\"name\":\"bench-v" + v + "\"}");
        }
    }

    /**
     * Sends a visitor's message, typed first as a visitor types it: a draft per word, three in
     * quick succession, which the server spaces out before they reach the upstream as sneak peeks.
     */
    void send(int visitor, long n) {
        LoadTab tab = tab(visitor, 0);
        for (String draft : options.signals ? new String[] {"visitor", "visitor " + visitor, "visitor " + visitor + " " + n}
                : new String[0]) {
            tab.typing(draft);
        }
        tab.sendMessage("v" + n, "{\"type\":\"send\",\"id\":\"v" + n + "\",\"text\":\"visitor " + visitor
                + " " + n + " " + System.currentTimeMillis() + "\"}");
    }

    LoadTab tab(int visitor, int index) {
        List<LoadTab> own = tabs.get(visitor);
        synchronized (own) {
            return own.get(index);
        }
    }

    /** Drops a tab and, after the pause, resumes it from the last event it saw; returns the resume time in ms. */
    long dropAndResume(int visitor, int index, long pauseMillis) throws Exception {
        List<LoadTab> own = tabs.get(visitor);
        LoadTab old;
        synchronized (own) {
            old = own.get(index);
        }
        old.drop();
        Thread.sleep(pauseMillis); // the benchmark's own pacing: how long the phone sleeps
        LoadTab next = old.resumed();
        synchronized (own) {
            own.set(index, next);
        }
        long started = System.nanoTime();
        connect(next).get(30, TimeUnit.SECONDS);
        return (System.nanoTime() - started) / 1_000_000;
    }

    /**
     * Resumes every tab whose connection is gone, as the chat page does once the server is back;
     * returns how many were resumed.
     */
    int resumeClosed() throws Exception {
        List<CompletableFuture<LoadTab>> resuming = new ArrayList<>();
        for (List<LoadTab> own : tabs) {
            synchronized (own) {
                for (int i = 0; i < own.size(); i++) {
                    if (!own.get(i).isOpen()) {
                        LoadTab next = own.get(i).resumed();
                        own.set(i, next);
                        resuming.add(connect(next));
                    }
                }
            }
        }
        CompletableFuture.allOf(resuming.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        return resuming.size();
    }

    int openTabs() {
        int open = 0;
        for (List<LoadTab> own : tabs) {
            synchronized (own) {
                for (LoadTab tab : own) {
                    open += tab.isOpen() ? 1 : 0;
                }
            }
        }
        return open;
    }

    /** Tabs whose connection closed without the benchmark asking. */
    int closedTabs() {
        int closed = 0;
        for (List<LoadTab> own : tabs) {
            synchronized (own) {
                for (LoadTab tab : own) {
                    closed += tab.isOpen() ? 0 : 1;
                }
            }
        }
        return closed;
    }

    void closeAll() {
        pinger.shutdownNow();
        for (List<LoadTab> own : tabs) {
            synchronized (own) {
                own.forEach(LoadTab::close);
            }
        }
    }
}
