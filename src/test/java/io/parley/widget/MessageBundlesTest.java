package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.relay.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every language says everything the page and its script can say, every error code included. */
class MessageBundlesTest {

    private static final List<String> LANGUAGES = List.of("ar", "de", "es", "fr", "pl");

    private static Properties bundle(String suffix) throws IOException {
        Properties bundle = new Properties();
        try (InputStream in = MessageBundlesTest.class.getResourceAsStream("/io/parley/templates/chat" + suffix + ".properties")) {
            bundle.load(in);
        }
        return bundle;
    }

    @Test
    void everyLanguageHasEveryKeyAndEveryErrorCode() throws IOException {
        Properties english = bundle("");
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(english.containsKey("error." + code.code()), "error." + code.code());
        }
        for (String key : ChatPageServlet.SCRIPT_STRINGS) {
            assertTrue(english.containsKey(key), key);
        }
        for (String language : LANGUAGES) {
            Properties other = bundle("_" + language);
            Set<String> missing = new TreeSet<>(english.stringPropertyNames());
            missing.removeAll(other.stringPropertyNames());
            assertEquals(Set.of(), missing, "missing in " + language);
            for (String key : english.stringPropertyNames()) {
                if (key.startsWith("error.") || key.startsWith("prechat.") || key.startsWith("end.")) {
                    // Left in English by mistake: only a few words are the same in every language.
                    assertTrue(!other.getProperty(key).equals(english.getProperty(key)) || other.getProperty(key).length() < 20,
                            key + " in " + language + " is the English text");
                }
            }
        }
    }
}
