package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class DefaultDataDirectoryTest {

    private static UnaryOperator<String> system(String... pairs) {
        Map<String, String> properties = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.put(pairs[i], pairs[i + 1]);
        }
        return properties::get;
    }

    @Test
    void itLivesUnderTheHomeNamedAfterTheContextAndStaysTheSameAcrossRestarts() {
        UnaryOperator<String> tomcat = system("user.home", "/home/shop", "catalina.base", "/opt/tomcat");
        Path root = DefaultDataDirectory.of("", tomcat);
        assertEquals(Path.of("/home/shop/.parley"), root.getParent());
        assertTrue(root.getFileName().toString().startsWith("ROOT-"), root.toString());
        assertEquals(root, DefaultDataDirectory.of("", tomcat), "found again after a restart");
        assertTrue(DefaultDataDirectory.of("/support/chat", tomcat).getFileName().toString().startsWith("support_chat-"));
    }

    @Test
    void twoContextsOrTwoServersOnOneMachineDoNotShareIt() {
        UnaryOperator<String> one = system("user.home", "/home/shop", "jetty.base", "/srv/jetty-a");
        UnaryOperator<String> two = system("user.home", "/home/shop", "jetty.base", "/srv/jetty-b");
        assertNotEquals(DefaultDataDirectory.of("/a", one), DefaultDataDirectory.of("/b", one), "two contexts");
        assertNotEquals(DefaultDataDirectory.of("", one), DefaultDataDirectory.of("", two), "two servers");
        assertEquals(Path.of("/x/ROOT-1a2b-2"), DefaultDataDirectory.alternative(Path.of("/x/ROOT-1a2b"), 2),
                "the next place, when another Parley holds this one");
    }

    @Test
    void oddContextPathsMakeSafeNames() {
        assertEquals("ROOT", DefaultDataDirectory.contextName("/"));
        assertEquals("a_b", DefaultDataDirectory.contextName("/a/b/"));
        assertEquals("x_..y", DefaultDataDirectory.contextName("/x ..y"));
    }
}
