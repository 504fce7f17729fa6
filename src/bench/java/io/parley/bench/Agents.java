package io.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The other side of the chats: agents writing through the emulator's agent API, visitors
 * writing from their first tab, and what the emulator saw (polls, gaps, visitor messages).
 */
final class Agents {

    private final ServerProcess upstream;
    private final Load load;
    private final Benchmark.Options options;
    private final Tally tally;
    private final Map<Integer, Integer> chatOf = new HashMap<>();
    private final Map<Integer, AtomicLong> agentSent = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> visitorSent = new ConcurrentHashMap<>();
    private final Set<Integer> messagedQuiet = ConcurrentHashMap.newKeySet();
    private final int active;
    private long lostBefore;
    private long agentUndelivered;
    private long visitorUnarrived;
    private final LongAdder agentRefused = new LongAdder();

    Agents(ServerProcess upstream, Load load, Benchmark.Options options, Tally tally) {
        this.upstream = upstream;
        this.load = load;
        this.options = options;
        this.tally = tally;
        this.active = (int) Math.round(options.visitors * options.activeShare);
    }

    /**
     * Waits until the upstream has every visitor's chat in use, and learns their console numbers.
     * A start whose answer was lost leaves a chat of the same name that nobody uses (orphaned).
     */
    void mapChats() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (chatOf.size() < options.visitors) {
            if (System.nanoTime() > deadline) {
                Map<String, Long> others = new java.util.TreeMap<>();
                for (Map<String, Object> chat : chats()) {
                    String name = String.valueOf(chat.get("name"));
                    String kind = name.startsWith("bench-v") ? "orphaned=" + chat.get("orphaned") + ",state=" + chat.get("state")
                            : "named " + name + ",state=" + chat.get("state");
                    others.merge(kind, 1L, Long::sum);
                }
                throw new IllegalStateException("only " + chatOf.size() + " chats started; the upstream's chats: " + others);
            }
            for (Map<String, Object> chat : chats()) {
                String name = String.valueOf(chat.get("name"));
                if (name.startsWith("bench-v") && !Boolean.TRUE.equals(chat.get("orphaned"))) {
                    chatOf.put(Integer.parseInt(name.substring(7)), (int) Benchmark.number(chat.get("id")));
                }
            }
        }
    }

    private List<Map<String, Object>> chats() throws Exception {
        return ServerProcess.json(upstream.get("/emulator/agent/api/chats"));
    }

    /** Polls so far per visitor. */
    Map<Integer, Long> polls() throws Exception {
        Map<Integer, Long> polls = new HashMap<>();
        Map<Integer, Integer> visitorOf = new HashMap<>();
        chatOf.forEach((visitor, chat) -> visitorOf.put(chat, visitor));
        for (Map<String, Object> chat : chats()) {
            Integer visitor = visitorOf.get((int) Benchmark.number(chat.get("id")));
            if (visitor != null) {
                polls.put(visitor, Benchmark.number(chat.get("polls")));
            }
        }
        return polls;
    }

    /**
     * The steady phase: in active chats an agent writes every {@code agent-every} and the visitor
     * every other time (so those chats stay in the fast window after the first message); one in
     * ten quiet chats gets a single agent message. First messages measure the quiet pace.
     */
    void run(Duration duration, Chaos chaos) throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
        Random random = new Random(options.seed);
        long every = options.agentEvery.toMillis();
        for (int v = 0; v < active; v++) {
            int visitor = v;
            // The first message finds the chat quiet; the next ones come within the fast window.
            scheduler.scheduleAtFixedRate(() -> agentSays(visitor, agentSent.containsKey(visitor) ? "fast" : "normal"),
                    random.nextInt((int) every), every, TimeUnit.MILLISECONDS);
            scheduler.scheduleAtFixedRate(() -> visitorSays(visitor), random.nextInt((int) every), every * 2,
                    TimeUnit.MILLISECONDS);
        }
        long quietFrom = Math.max(0, duration.toMillis() - options.pollInterval.toMillis() * 2);
        for (int v = active; v < options.visitors; v += 10) {
            int visitor = v;
            messagedQuiet.add(visitor);
            long at = quietFrom > 0 ? random.nextInt((int) quietFrom) + Math.min(quietFrom, 1000) : 0;
            scheduler.schedule(() -> agentSays(visitor, "normal"), at, TimeUnit.MILLISECONDS);
        }
        if (chaos != null) {
            chaos.run(duration);
        } else {
            Thread.sleep(duration.toMillis()); // the benchmark's steady phase lasts this long
        }
        scheduler.shutdown();
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
    }

    private void agentSays(int visitor, String mode) {
        long n = agentSent.computeIfAbsent(visitor, v -> new AtomicLong()).incrementAndGet();
        String text = "agent " + mode + " " + n + " " + System.currentTimeMillis();
        String chat = "/emulator/agent/api/chats/" + chatOf.get(visitor);
        try {
            String answer = upstream.post(chat + "/messages", "text=" + text.replace(' ', '+'));
            if (!answer.contains("message_id")) {
                throw new IllegalStateException(answer);
            }
        } catch (Exception e) {
            // The agent's call is as ambiguous as any: only a message that did not land is not expected.
            // Looked for over a few seconds, not once: a message taken for not landed has its number
            // used again, so one whose post was still on its way would be counted as shown twice.
            Boolean landed = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Boolean.TRUE.equals(landed) && System.nanoTime() < deadline) {
                try {
                    landed = upstream.get(chat).contains(text);
                } catch (Exception unknown) {
                    landed = null;
                }
                if (!Boolean.TRUE.equals(landed)) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250)); // the next look, not a wait for it
                }
            }
            if (Boolean.FALSE.equals(landed)) {
                agentSent.get(visitor).decrementAndGet();
                agentRefused.increment();
            }
        }
    }

    private void visitorSays(int visitor) {
        long n = visitorSent.computeIfAbsent(visitor, v -> new AtomicLong(1)).incrementAndGet();
        load.send(visitor, n);
    }

    /** Waits for the last messages to arrive everywhere; what never arrives counts as lost. */
    void settle() throws Exception {
        lostBefore = tally.lost.sum();
        long expected = agentSent.values().stream().mapToLong(AtomicLong::get).sum() * options.tabsPerVisitor;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (tally.agentDelivered.sum() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100); // the benchmark waits, bounded, for stragglers
        }
        long missing = expected - tally.agentDelivered.sum();
        if (missing > 0) {
            tally.found(tally.lost, missing, "lost: agent message never in a tab");
            agentUndelivered = missing;
            describeMissing();
        }
    }

    /** Prints a few visitors whose tabs lack agent messages, with what the upstream holds for them. */
    private void describeMissing() throws Exception {
        int shown = 0;
        for (Map.Entry<Integer, AtomicLong> sent : agentSent.entrySet()) {
            int visitor = sent.getKey();
            long seen = load.tab(visitor, 0).agentMessagesSeen();
            if (seen < sent.getValue().get() && shown++ < 5) {
                String chat = upstream.get("/emulator/agent/api/chats/" + chatOf.get(visitor));
                System.out.println("Missing: visitor " + visitor + " sent " + sent.getValue().get() + " seen " + seen
                        + " tab seq " + load.tab(visitor, 0).lastSeqSeen() + " frames " + load.tab(visitor, 0).lastFrames()
                        + " upstream "
                        + chat.substring(0, Math.min(chat.length(), 600)));
            }
        }
    }

    /** Upstream polls per chat per minute (v2), quiet and active, and the longest gap. */
    void pollFigures(Map<Integer, Long> before, double seconds, Map<String, Object> figures) throws Exception {
        Map<Integer, Long> after = polls();
        List<Double> quiet = new ArrayList<>();
        List<Double> busy = new ArrayList<>();
        after.forEach((visitor, polls) -> {
            double perMinute = (polls - before.getOrDefault(visitor, 0L)) * 60.0 / seconds;
            if (visitor < active) {
                busy.add(perMinute);
            } else if (!messagedQuiet.contains(visitor)) { // an agent's message makes a chat busy for a while
                quiet.add(perMinute);
            }
        });
        long longestGap = 0;
        for (Map<String, Object> chat : chats()) {
            boolean open = "waiting".equals(chat.get("state")) || "chatting".equals(chat.get("state"));
            if (open && !Boolean.TRUE.equals(chat.get("orphaned")) && String.valueOf(chat.get("name")).startsWith("bench-v")) {
                longestGap = Math.max(longestGap, Benchmark.number(chat.get("longest_poll_gap_ms")));
            }
        }
        figures.put("polls_per_min_quiet", average(quiet));
        figures.put("polls_per_min_quiet_max", quiet.isEmpty() ? 0 : Collections.max(quiet));
        figures.put("polls_per_min_active", average(busy));
        figures.put("longest_poll_gap_ms", longestGap);
        figures.put("one_stream_polls_per_min", 60_000.0 / options.pollInterval.toMillis());
    }

    /**
     * How the upstream's chats ended, starts that left a chat nobody uses (v2: the answer was
     * lost, and v2 gives no way to find the chat), chats started more than once for a visitor,
     * and agent messages the upstream refused.
     */
    void chatFigures(Map<String, Object> figures) throws Exception {
        long orphaned = 0;
        Map<String, Integer> ended = new TreeMap<>();
        Map<String, Integer> perVisitor = new HashMap<>();
        for (Map<String, Object> chat : chats()) {
            String name = String.valueOf(chat.get("name"));
            if (!name.startsWith("bench-v")) {
                continue;
            }
            perVisitor.merge(name, 1, Integer::sum);
            if (Boolean.TRUE.equals(chat.get("orphaned"))) {
                orphaned++;
                continue;
            }
            if ("closed".equals(chat.get("state"))) {
                ended.merge(String.valueOf(chat.get("closed_by")), 1, Integer::sum);
            }
        }
        figures.put("chats_ended", ended.isEmpty() ? "none" : ended.toString());
        figures.put("orphaned_chats", orphaned);
        figures.put("chats_started_twice", perVisitor.values().stream().mapToLong(count -> count - 1L).sum());
        figures.put("agent_refused", agentRefused.sum());
    }

    /** Visitors whose chat is active (an agent and the visitor write), the others quiet. */
    int active() {
        return active;
    }

    /** How long visitors' messages took to reach the upstream, and whether each arrived once, in order. */
    @SuppressWarnings("unchecked")
    void visitorFigures(Map<String, Object> figures) throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int v = 0; v < active; v++) {
            Map<String, Object> chat = ServerProcess.json(upstream.get("/emulator/agent/api/chats/" + chatOf.get(v)));
            long last = 0;
            for (Map<String, Object> event : (List<Map<String, Object>>) chat.get("events")) {
                String[] parts = String.valueOf(event.get("text")).split(" ");
                if (!"visitor".equals(event.get("user_type")) || parts.length != 4 || !parts[0].equals("visitor")) {
                    continue;
                }
                long n = Long.parseLong(parts[2]);
                if (n <= last) {
                    tally.found(tally.duplicated, 1, "duplicated: visitor message upstream");
                } else if (n != last + 1) {
                    tally.found(tally.reordered, 1, "reordered: visitor message upstream");
                }
                last = Math.max(last, n);
                if (n > 1) { // the first message waited for its chat to start
                    latencies.add(Benchmark.number(event.get("received_ms")) - Long.parseLong(parts[3]));
                }
            }
            long sent = visitorSent.getOrDefault(v, new AtomicLong(1)).get();
            if (last < sent) {
                tally.found(tally.lost, sent - last, "lost: visitor message never upstream");
                visitorUnarrived += sent - last;
            }
        }
        Collections.sort(latencies);
        figures.put("visitor_p50_ms", Tally.percentile(latencies, 0.5));
        figures.put("visitor_p99_ms", Tally.percentile(latencies, 0.99));
        figures.put("visitor_messages", (long) latencies.size());
        figures.put("losses", "seq gaps in tabs " + lostBefore + ", agent messages undelivered " + agentUndelivered
                + ", visitor messages not upstream " + visitorUnarrived);
    }

    private static double average(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
}
