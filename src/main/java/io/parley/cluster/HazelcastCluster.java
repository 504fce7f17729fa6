package io.parley.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.partition.Partition;
import com.hazelcast.replicatedmap.ReplicatedMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtection;
import io.parley.limits.RateLimit;
import io.parley.limits.RateLimiter;
import io.parley.limits.TokenBucket;
import io.parley.relay.ConversationRegistry;
import io.parley.relay.ConversationStore;
import io.parley.relay.InMemoryConversationRegistry;
import io.parley.relay.Ownership;
import io.parley.relay.Relay;
import io.parley.relay.VisitorTokens;
import io.parley.relay.ws.Forwarding;
import io.parley.settings.ClusterSettings;
import io.parley.settings.Rate;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as an embedded Hazelcast member: found by the others through {@code cluster-members}
 * over TCP (no multicast), heartbeats every second and a silent member removed after six, and
 * from three members on, nothing written or driven by a member that is not with a majority of
 * them (one frozen or cut off would otherwise form a cluster of its own and drive everything).
 */
public final class HazelcastCluster implements Cluster {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastCluster.class);

    static final String RECORDS = "parley-conversations";
    static final String VALUES = "parley-values";
    static final String NODES = "parley-nodes";
    static final String MAJORITY = "parley-majority";
    static final String SECRETS = "parley-secrets";
    static final String ENDED = "parley-ended";
    static final String LIMITS = "parley-limits";
    /** A member that has heard nothing from a majority for this long drives nothing. */
    static final java.time.Duration MAJORITY_HEARD_WITHIN = java.time.Duration.ofSeconds(4);
    static final String FORWARDING_SECRET = "forwarding";

    private final HazelcastInstance hazelcast;
    private final String node;
    private final String socketPath;
    private final String host;
    private final boolean majorityNeeded;
    private final IMap<String, Held> records;
    private final ReplicatedMap<String, String> addresses;
    /** Not guarded by a majority: a node alone must be able to say it is one of the cluster. */
    private final IMap<String, String> secrets;
    /** The secret as last read, and when: asked of the cluster at most this often. */
    private volatile String cachedSecret;
    private volatile long secretReadAt;
    private static final java.time.Duration SECRET_READ_EVERY = java.time.Duration.ofSeconds(10);
    private final Ownership ownership;
    private final SharedRegistry registry;
    private final Forwarding forwarding;
    private volatile SharedStore store;
    private volatile Handover handover;
    private final SettledWatch settled;

    private HazelcastCluster(HazelcastInstance hazelcast, String host, String socketPath, boolean majorityNeeded) {
        this.hazelcast = hazelcast;
        this.node = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.host = host;
        this.socketPath = socketPath;
        this.majorityNeeded = majorityNeeded;
        this.records = hazelcast.getMap(RECORDS);
        this.addresses = hazelcast.getReplicatedMap(NODES);
        this.secrets = hazelcast.getMap(SECRETS);
        secrets.putIfAbsent(FORWARDING_SECRET, newSecret());
        this.ownership = new Ownership() {
            @Override
            public boolean drivesHere(String key) {
                return HazelcastCluster.this.drivesHere(key);
            }

            @Override
            public java.util.function.Predicate<String> togetherWith(String key) {
                int partition = partitionOf(key);
                return id -> partitionOf(id) == partition;
            }
        };
        this.registry = new SharedRegistry(new InMemoryConversationRegistry(), records);
        this.forwarding = new NodeForwarding();
        this.settled = new SettledWatch(hazelcast);
    }

    /** Starts this member and joins the others; called reflectively by {@link Cluster#join}. */
    public static Cluster join(ClusterSettings settings, String socketPath) {
        String host = settings.networkInterface().orElseGet(() -> firstLocal(settings));
        Config config = config(settings, host);
        long started = System.nanoTime();
        HazelcastInstance hazelcast;
        try {
            hazelcast = Hazelcast.newHazelcastInstance(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Parley cannot join the cluster on " + host + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
        LOG.info("Joined cluster '{}' as {}:{} in {} ms: {} members of the {} listed", settings.name(), host,
                settings.port(), (System.nanoTime() - started) / 1_000_000, hazelcast.getCluster().getMembers().size(),
                settings.members().size());
        try {
            return new HazelcastCluster(hazelcast, host, socketPath, settings.members().size() >= 3);
        } catch (RuntimeException e) {
            hazelcast.shutdown(); // its threads would keep the JVM alive
            throw new IllegalStateException("Parley cannot use the cluster: " + e.getMessage(), e);
        }
    }

    private static Config config(ClusterSettings settings, String host) {
        Config config = new Config();
        config.setClusterName(settings.name());
        config.setInstanceName("parley-" + host + "-" + settings.port());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "3");
        // Members started together may each form a cluster of their own: they merge within seconds.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        config.setProperty("hazelcast.socket.bind.any", "false");
        // A write whose backup did not answer fails rather than counts as done: a member cut off
        // (frozen, then awake) must not take its own copy's word that a visitor's message is safe.
        config.setProperty("hazelcast.operation.fail.on.indeterminate.state", "true");
        // ...and fails soon when a backup's member died: written again a second later, elsewhere.
        config.setProperty("hazelcast.operation.backup.timeout.millis", "2000");
        // Only this project's records and Java's own types are read from other members.
        config.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig()
                .setDefaultsDisabled(false).setWhitelist(new ClassFilter().addPrefixes("io.parley.cluster.").addClasses(TokenBucket.class.getName())));
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false);
        network.setPublicAddress(host + ":" + settings.port());
        network.getInterfaces().setEnabled(isAddress(host)).addInterface(host);
        network.getRestApiConfig().setEnabled(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        settings.members().forEach(member -> join.getTcpIpConfig().addMember(member.toString()));
        MapConfig records = new MapConfig(RECORDS).setBackupCount(1).setAsyncBackupCount(0);
        // After a split heals, the side that merges in (the smaller) brings no record back: with a
        // majority required, it could not have written any that the larger side lacks.
        records.getMergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName());
        MapConfig values = new MapConfig(VALUES).setBackupCount(1);
        // A start waits for its count, not for the count's backup: a count lost with a member
        // errs by one, while a burst of starts from one address (one key) must not queue.
        MapConfig limits = new MapConfig(LIMITS).setBackupCount(0).setAsyncBackupCount(1);
        if (settings.members().size() >= 3) {
            int majority = settings.members().size() / 2 + 1;
            // Recently active: a member that has not heard from a majority within 4 s (one that
            // just woke from a freeze) is not with it, whatever its member list still says.
            config.addSplitBrainProtectionConfig(SplitBrainProtectionConfig.newRecentlyActiveSplitBrainProtectionConfigBuilder(
                    MAJORITY, majority, (int) MAJORITY_HEARD_WITHIN.toMillis()).enabled(true).build());
            records.setSplitBrainProtectionName(MAJORITY); // values (a rotated credential) are read by a node alone too
            limits.setSplitBrainProtectionName(MAJORITY); // refused at once: the node counts alone meanwhile
        }
        config.addMapConfig(records);
        config.addMapConfig(values);
        config.addMapConfig(limits);
        return config;
    }

    private static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    /** The first member's host that names an address of this machine: the one to bind and announce. */
    static String firstLocal(ClusterSettings settings) {
        for (ClusterSettings.Member member : settings.members()) {
            try {
                InetAddress address = InetAddress.getByName(member.host());
                if (address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null) {
                    return address.getHostAddress();
                }
            } catch (UnknownHostException | SocketException e) {
                LOG.debug("Member {} is not this machine: {}", member, e.toString());
            }
        }
        throw new IllegalStateException("Parley cannot join the cluster: none of cluster-members is an address of "
                + "this machine; set cluster-interface to the address the others reach it by");
    }

    private static String newSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether this member is with a majority of those configured (always, with fewer than three). */
    boolean safe() {
        if (!majorityNeeded) {
            return true;
        }
        try {
            SplitBrainProtection protection = hazelcast.getSplitBrainProtectionService().getSplitBrainProtection(MAJORITY);
            return protection.hasMinimumSize();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The owner of the key's partition, or null while it moves. */
    Member ownerOf(String key) {
        Partition partition = hazelcast.getPartitionService().getPartition(key);
        return partition.getOwner();
    }

    private int partitionOf(String key) {
        return hazelcast.getPartitionService().getPartition(key).getPartitionId();
    }

    private boolean drivesHere(String key) {
        return ownsPartitionOf(key) && safe();
    }

    /** Whether this member owns the key's partition, majority or not. */
    boolean ownsPartitionOf(String key) {
        Member owner = ownerOf(key);
        return owner != null && owner.localMember();
    }

    String node() {
        return node;
    }

    @Override
    public Ownership ownership() {
        return ownership;
    }

    @Override
    public ConversationStore sharing(ConversationStore local) {
        SharedStore shared = new SharedStore(records, hazelcast.getMap(VALUES), hazelcast.getMap(ENDED), local, node);
        shared.offerLocal();
        store = shared;
        return shared;
    }

    @Override
    public ConversationRegistry registry() {
        return registry;
    }

    @Override
    public Forwarding forwarding() {
        return forwarding;
    }

    @Override
    public void serving(int port, String contextPath) {
        String uri = "ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + contextPath + socketPath;
        // By member address, not UUID: a member that merges back after a split gets a new UUID.
        String member = hazelcast.getCluster().getLocalMember().getAddress().toString();
        if (!uri.equals(addresses.get(member))) {
            addresses.put(member, uri);
            LOG.info("Tabs of conversations this node drives are forwarded to it at {}", uri);
        }
    }

    @Override
    public void drive(Relay relay, java.time.Duration callsAnsweredWithin) {
        Handover started = new Handover(this, store, records, relay, callsAnsweredWithin.plusSeconds(1));
        handover = started;
        started.start();
    }

    @Override
    public RateLimit rateLimit(String name, Rate rate, LongSupplier clock) {
        return new SharedRateLimit(hazelcast.getMap(LIMITS), name, rate, clock, new RateLimiter(rate, clock));
    }

    @Override
    public View view() {
        Handover current = handover;
        return new View(hazelcast.getCluster().getMembers().size(), safe(), current == null ? 0 : current.driven(),
                current == null ? 0 : current.failovers(), current == null ? 0 : current.migrations());
    }

    @Override
    public boolean settled() {
        return settled.settled();
    }

    /** Whether a member of this UUID is in the cluster now. */
    boolean isMember(String uuid) {
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (member.getUuid().toString().equals(uuid)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        Handover current = handover;
        if (current != null) {
            current.stop();
        }
        settled.stop();
        registry.close();
        try {
            addresses.remove(hazelcast.getCluster().getLocalMember().getAddress().toString());
        } catch (RuntimeException e) {
            LOG.debug("Could not withdraw this node's address: {}", e.toString());
        }
        hazelcast.shutdown(); // gracefully: its partitions and their records move to the others first
    }

    /** Tabs go to the node that owns their conversation's partition, once it has said where it serves. */
    private final class NodeForwarding implements Forwarding {

        @Override
        public Optional<URI> driverOf(String token) {
            return socketOf(ownerOf(VisitorTokens.key(token)));
        }

        /**
         * Where a member serves tabs, as it said: only an address on the member's own host, so
         * that an entry written by anyone else cannot send tabs (and their tokens) elsewhere.
         */
        private Optional<URI> socketOf(Member owner) {
            if (owner == null || owner.localMember()) {
                return Optional.empty();
            }
            String address = addresses.get(owner.getAddress().toString());
            if (address == null) {
                return Optional.empty();
            }
            try {
                URI uri = URI.create(address);
                String host = uri.getHost() == null ? "" : uri.getHost().replaceAll("^\\[|]$", "");
                return host.equals(owner.getAddress().getHost()) ? Optional.of(uri) : Optional.empty();
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<URI> driverOfFile(String fileId) {
            return socketOf(ownerOf(fileId));
        }

        @Override
        public boolean prepare(String token) {
            Handover current = handover;
            return current == null || current.takeNow(VisitorTokens.key(token));
        }

        @Override
        public boolean drivenElsewhereUnknown(String token) {
            Member owner = ownerOf(VisitorTokens.key(token));
            return owner == null || (!owner.localMember() && addresses.get(owner.getAddress().toString()) == null)
                    || (owner.localMember() && !safe());
        }

        /**
         * Read each time: members that started apart each made one, and after they merged the
         * cluster keeps one of them.
         */
        @Override
        public String secret() {
            long now = System.nanoTime();
            String known = cachedSecret;
            if (known != null && now - secretReadAt < SECRET_READ_EVERY.toNanos()) {
                return known;
            }
            String secret = secrets.get(FORWARDING_SECRET);
            cachedSecret = secret;
            secretReadAt = now;
            return secret == null ? "" : secret;
        }
    }
}
