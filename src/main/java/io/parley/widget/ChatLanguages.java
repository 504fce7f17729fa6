package io.parley.widget;

import io.parley.settings.Settings;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The languages of the chat page, and which one a request gets. */
final class ChatLanguages {

    static final List<String> SUPPORTED = Settings.LANGUAGES;
    private static final Set<String> RIGHT_TO_LEFT = Set.of("ar");

    private ChatLanguages() {
    }

    /** The {@code lang} parameter if supported, else the browser's first supported language, else English. */
    static String choose(String requested, List<Locale> browser) {
        String wanted = primary(requested);
        if (SUPPORTED.contains(wanted)) {
            return wanted;
        }
        for (Locale locale : browser) {
            String language = primary(locale.getLanguage());
            if (SUPPORTED.contains(language)) {
                return language;
            }
        }
        return "en";
    }

    static boolean rightToLeft(String language) {
        return RIGHT_TO_LEFT.contains(language);
    }

    private static String primary(String tag) {
        if (tag == null) {
            return "";
        }
        int dash = tag.indexOf('-');
        return (dash < 0 ? tag : tag.substring(0, dash)).toLowerCase(Locale.ROOT).strip();
    }
}
