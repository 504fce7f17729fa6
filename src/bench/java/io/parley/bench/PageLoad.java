package io.parley.bench;

import io.parley.testing.AgentApi;
import io.parley.testing.Chromium;
import io.parley.testing.HostSite;
import io.parley.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the widget costs a host page's load event on a slow connection, in real Chromium with the
 * network throttled by DevTools (slow 3G: 400 ms round trips, 400 kbit/s): the same page without
 * the widget, a first visit with it, a returning visitor whose chat is live (then the chat page
 * comes along, after the load event), and one who left the widget open (it opens again at once). Each is loaded {@code --runs} times with an empty
 * cache; prints the medians. Loopback only; stops by itself.
 */
public final class PageLoad {

    private PageLoad() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        for (String arg : args) {
            if (arg.startsWith("--runs=")) {
                runs = Math.max(1, Math.min(50, Integer.parseInt(arg.substring("--runs=".length()))));
            }
        }
        try (TestServer parley = TestServer.startPolledFast();
             HostSite site = new HostSite(parley.uri(), "data-lang=\"en\"")) {
            ChromeDriver browser = Chromium.start();
            try {
                browser.executeCdpCommand("Network.enable", Map.of());
                browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false,
                        "latency", 400, "downloadThroughput", 50_000, "uploadThroughput", 50_000));
                browser.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
                List<Long> plain = new ArrayList<>();
                List<Long> first = new ArrayList<>();
                List<Long> afterLoad = new ArrayList<>();
                List<Long> ownScript = new ArrayList<>();
                List<Long> live = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    plain.add(load(browser, site.url("/plain"), true));
                    first.add(load(browser, site.url("/"), true));
                    afterLoad.add(load(browser, site.url("/after-load"), true));
                    ownScript.add(load(browser, site.url("/plain-own-script"), true));
                }
                // A returning visitor with a live chat: start one, then load the page again and again.
                load(browser, site.url("/"), true);
                browser.executeScript("Parley.open()");
                browser.switchTo().frame(browser.findElement(org.openqa.selenium.By.cssSelector("#parley-widget"))
                        .getShadowRoot().findElement(org.openqa.selenium.By.cssSelector("iframe")));
                new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> d.findElement(
                        org.openqa.selenium.By.id("pc-text")).isDisplayed());
                browser.findElement(org.openqa.selenium.By.id("pc-name")).sendKeys("Page Load");
                browser.findElement(org.openqa.selenium.By.id("pc-text")).sendKeys("Hello");
                browser.findElement(org.openqa.selenium.By.id("pc-text")).submit();
                new AgentApi(parley).awaitChatNumberOf("Page Load");
                browser.switchTo().defaultContent();
                List<Long> open = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    open.add(load(browser, site.url("/"), false)); // left open: it opens again at once
                }
                browser.executeScript("Parley.close()");
                for (int i = 0; i < runs; i++) {
                    live.add(load(browser, site.url("/"), false));
                }
                String liveBefore = before(browser);
                load(browser, site.url("/"), true);
                String firstBefore = before(browser);
                long base = median(plain);
                System.out.printf("Host page load event on slow 3G (400 ms RTT, 400 kbit/s), median of %d, empty cache:%n",
                        runs);
                System.out.printf("| page | load event | moved by the widget |%n|---|---|---|%n");
                System.out.printf("| without the widget | %d ms | |%n", base);
                System.out.printf("| first visit, widget closed | %d ms | %+d ms |%n", median(first), median(first) - base);
                System.out.printf("| without the widget, with a script of the site's own | %d ms | |%n", median(ownScript));
                System.out.printf("| first visit, widget's script added by that script after the load event | %d ms | %+d ms "
                        + "(against the page with the site's own script) |%n", median(afterLoad),
                        median(afterLoad) - median(ownScript));
                System.out.printf("| returning visitor, chat live, widget closed | %d ms | %+d ms |%n", median(live),
                        median(live) - base);
                System.out.printf("| returning visitor, widget left open on the last page | %d ms | %+d ms |%n",
                        median(open), median(open) - base);
                System.out.printf("%nRequests started before the load event, first visit: %s%n", firstBefore);
                System.out.printf("Requests started before the load event, chat live, widget closed: %s%n", liveBefore);
            } finally {
                browser.quit();
            }
        }
    }

    /** Loads the page and returns its load event's start, in ms after navigation began. */
    private static long load(ChromeDriver browser, String url, boolean firstVisit) {
        if (firstVisit) {
            browser.get("about:blank");
            browser.manage().deleteAllCookies();
            browser.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin", "*", "storageTypes", "all"));
        }
        browser.get(url);
        Object start = new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> ((ChromeDriver) d).executeScript(
                "var n = performance.getEntriesByType('navigation')[0]; return n && n.loadEventStart > 0 ? n.loadEventStart : null"));
        return Math.round(((Number) start).doubleValue());
    }

    /** The requests of the page (and their start, ms) that began before its load event. */
    private static String before(ChromeDriver browser) {
        return String.valueOf(browser.executeScript("var load = performance.getEntriesByType('navigation')[0].loadEventStart;"
                + " return performance.getEntriesByType('resource').filter(function (r) { return r.startTime < load; })"
                + ".map(function (r) { return r.name.replace(/^https?:\\/\\/[^/]+/, '') + ' @' + Math.round(r.startTime); }).join(', ')"));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
