package io.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.settings.ClusterSettings;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Without {@code cluster-interface}, a member binds to the first of {@code cluster-members} that is this machine. */
class ClusterInterfaceTest {

    private static ClusterSettings members(ClusterSettings.Member... members) {
        return new ClusterSettings(List.of(members), 5701, "parley", Optional.empty());
    }

    @Test
    void theFirstMemberThatIsThisMachineIsTheInterface() {
        // 192.0.2.0/24 is for documentation: never an address of this machine
        assertEquals("127.0.0.1", HazelcastCluster.firstLocal(members(new ClusterSettings.Member("192.0.2.10", 5701),
                new ClusterSettings.Member("127.0.0.1", 5702), new ClusterSettings.Member("127.0.0.2", 5703))));
    }

    @Test
    void noneOfThemSaysSoInOneLine() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> HazelcastCluster.firstLocal(
                members(new ClusterSettings.Member("192.0.2.10", 5701), new ClusterSettings.Member("192.0.2.11", 5701))));
        assertTrue(refused.getMessage().contains("set cluster-interface"), refused.getMessage());
    }
}
