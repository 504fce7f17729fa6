package io.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.parley.relay.ConversationStore;
import io.parley.relay.StoredConversation;
import io.parley.store.MvConversationStore;
import io.parley.store.RecordJson;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared store on one real member, with local stores on disk as each node keeps them: what a
 * node that starts again offers back, and what it must not (a conversation that ended meanwhile);
 * the fence as the store applies it.
 */
class SharedStoreTest {

    private static HazelcastInstance member;

    /** Each test's own maps. */
    private final String testMaps = UUID.randomUUID().toString();

    @TempDir
    Path disk;

    @BeforeAll
    static void start() {
        Config config = new Config();
        config.setClusterName("shared-store-test-" + UUID.randomUUID());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.getNetworkConfig().setPort(0).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        member = Hazelcast.newHazelcastInstance(config);
    }

    @AfterAll
    static void stop() {
        if (member != null) {
            member.shutdown();
        }
    }

    private SharedStore node(String node, ConversationStore local) {
        return new SharedStore(records(), member.getMap("values-" + testMaps), member.getMap("ended-" + testMaps), local, node);
    }

    private IMap<String, Held> records() {
        return member.getMap("records-" + testMaps);
    }

    private MvConversationStore disk(String name) {
        return MvConversationStore.open(disk.resolve(name), Clock.systemUTC());
    }

    private static StoredConversation conversation(String key, String state) {
        return StoredConversation.of(key, "0ddba11", null, state, null, null, null, 0, List.of(), List.of(), List.of(),
                null, null, null);
    }

    @Test
    void aNodeStartingAgainOffersWhatItKeptButNotAConversationThatEndedMeanwhile() {
        try (MvConversationStore keptByB = disk("b")) {
            // Node B drove both conversations, kept them on its disk, and stopped with the cluster still up.
            keptByB.save(conversation("ended-since", "CHATTING"));
            keptByB.save(conversation("still-open", "CHATTING"));
            // Node A took them over; the first ended there, and its record went.
            SharedStore a = node("a", ConversationStore.none());
            a.save(conversation("ended-since", "CHATTING"));
            a.write(List.of(), List.of("ended-since"));
            assertNull(records().get("ended-since"));

            node("b", keptByB).offerLocal();

            assertNull(records().get("ended-since"), "an ended conversation is not brought back");
            assertEquals("still-open", RecordJson.read(records().get("still-open").json()).key());
            assertTrue(keptByB.loadAll().isEmpty(), "offered or not, the local copies are the cluster's now");
        }
    }

    @Test
    void aNodeWhoseConversationWasClaimedWritesNothingMoreAndKeepsNoCopy() {
        try (MvConversationStore keptByA = disk("a")) {
            SharedStore a = node("a", keptByA);
            SharedStore b = node("b", ConversationStore.none());
            a.save(conversation("k", "CHATTING"));
            assertEquals(1, keptByA.loadAll().size(), "a copy for a whole-cluster stop");

            assertTrue(b.claimAll(Set.of("k")).containsKey("k"));
            ConversationStore.DrivenElsewhere refused = assertThrows(ConversationStore.DrivenElsewhere.class,
                    () -> a.save(conversation("k", "ENDED")));
            assertEquals(Set.of("k"), refused.keys());
            assertEquals("CHATTING", RecordJson.read(records().get("k").json()).state());
            assertFalse(a.holdsClaim("k"));
            assertTrue(keptByA.loadAll().isEmpty(), "nothing of it comes back from this node's disk");
        }
    }
}
