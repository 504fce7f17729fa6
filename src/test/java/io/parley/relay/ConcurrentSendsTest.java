package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.upstream.Outgoing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tabs of one visitor sending at the same moment, on threads of their own: the upstream gets
 * every message once, in the order the conversation numbered them.
 */
class ConcurrentSendsTest {

    private static final int PER_TAB = 400;

    @Test
    void messagesReachTheUpstreamInTheOrderTheyWereNumberedWhicheverThreadsSendThem() throws Exception {
        try (RelayHarness harness = new RelayHarness("messages-per-visitor", "100000/1m")) {
            RecordingTab first = new RecordingTab();
            harness.open(first);
            List<TabHandle> tabs = List.of(harness.hello(new RecordingTab(), first.token(), 0),
                    harness.hello(new RecordingTab(), first.token(), 0));
            CyclicBarrier together = new CyclicBarrier(tabs.size());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < tabs.size(); t++) {
                TabHandle tab = tabs.get(t);
                String prefix = "t" + t + "-";
                Thread thread = new Thread(() -> {
                    try {
                        together.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < PER_TAB; i++) {
                        tab.send(prefix + i, "message " + prefix + i);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            List<String> numbered = first.events().stream()
                    .filter(e -> e instanceof RelayEvent.Said said && said.clientId() != null)
                    .map(e -> ((RelayEvent.Said) e).clientId()).toList();
            List<String> given = harness.upstream.only().given.stream().map(Outgoing::clientId).toList();
            assertEquals(1 + 2 * PER_TAB, numbered.size());
            int agree = 0;
            while (agree < Math.min(numbered.size(), given.size()) && numbered.get(agree).equals(given.get(agree))) {
                agree++;
            }
            assertEquals(numbered.size(), agree, "in the conversation's order, each once: they part at " + agree
                    + ", " + numbered.subList(agree, Math.min(agree + 3, numbered.size())) + " numbered, "
                    + given.subList(agree, Math.min(agree + 3, given.size())) + " given");
            assertEquals(numbered.size(), given.size(), "nothing more given");
        }
    }
}
