package io.parley.cluster;

import com.hazelcast.map.IMap;
import io.parley.relay.Conversation;
import io.parley.relay.ConversationRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** This node's conversations, held in its memory, and counted across the cluster for {@code max-conversations}. */
final class SharedRegistry implements ConversationRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SharedRegistry.class);
    static final Duration COUNT_WITHIN = Duration.ofSeconds(2);

    private final ConversationRegistry here;
    private final IMap<String, Held> records;
    private final ExecutorService counter = Executors.newSingleThreadExecutor(DaemonThreads.named("parley-cluster-count"));
    private volatile CompletableFuture<Integer> counting;
    private volatile int lastCount;

    SharedRegistry(ConversationRegistry here, IMap<String, Held> records) {
        this.here = here;
        this.records = records;
    }

    @Override
    public Optional<Conversation> find(String token) {
        return here.find(token);
    }

    @Override
    public void add(Conversation conversation) {
        here.add(conversation);
    }

    @Override
    public void remove(Conversation conversation) {
        here.remove(conversation);
    }

    @Override
    public Collection<Conversation> all() {
        return here.all();
    }

    @Override
    public Optional<Conversation> findByKey(String key) {
        return here.findByKey(key);
    }

    @Override
    public int size() {
        return here.size();
    }

    /**
     * Every member's conversations: a count asked of the cluster at each start, which is rare next
     * to messages. It is waited for {@link #COUNT_WITHIN} at most (a start holds its conversation's
     * locks); meanwhile the last count the cluster gave, or this node's own, still limits.
     */
    @Override
    public int sizeEverywhere() {
        CompletableFuture<Integer> count = counting;
        if (count == null || count.isDone()) {
            count = CompletableFuture.supplyAsync(records::size, counter);
            counting = count; // callers at once may each ask: harmless, and rare
        }
        try {
            lastCount = count.get(COUNT_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("The cluster did not count its conversations in time: {}", e.toString());
        }
        return Math.max(lastCount, here.size());
    }

    void close() {
        counter.shutdownNow();
    }
}
