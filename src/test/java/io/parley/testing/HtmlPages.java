package io.parley.testing;

import java.time.Instant;
import java.util.function.Predicate;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;

/** Pages in HtmlUnit, whose scripts run in the background. */
public final class HtmlPages {

    private HtmlPages() {
    }

    /** Lets the page's scripts run until the condition holds; fails after the deadline of {@link Eventually}. */
    public static void await(WebClient browser, HtmlPage page, Predicate<HtmlPage> condition) {
        Instant deadline = Instant.now().plus(Eventually.DEADLINE);
        while (!condition.test(page)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the page never got there: " + page.asNormalizedText());
            }
            browser.waitForBackgroundJavaScript(100);
        }
    }
}
