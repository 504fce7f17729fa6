package io.parley.livechat.v3.http;

import java.util.regex.Pattern;

/**
 * The data center a token belongs to. LiveChat's access tokens begin with their region
 * ({@code dal:…}, {@code fra:…}); calls with a token of another region than the default
 * {@code dal} say it in {@code X-Region: <prefix>} (the "Data centers" section of the Web API
 * documents, e.g. the Agent Chat and Configuration API: "if the token starts with fra, add the
 * X-Region: fra header; if it starts with dal, you don't have to").
 */
final class Regions {

    static final String HEADER = "X-Region";

    /** A region prefix as the docs list them: {@code dal}, {@code fra}, {@code fra-a}, {@code fra-b}. */
    private static final Pattern PREFIX = Pattern.compile("[a-z]{2,8}(-[a-z0-9]{1,8})?");

    private Regions() {
    }

    /** The {@code X-Region} value for this token, or null when none is to be sent. */
    static String headerFor(String token) {
        if (token == null) {
            return null;
        }
        int colon = token.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String prefix = token.substring(0, colon);
        if (!PREFIX.matcher(prefix).matches() || prefix.equals("dal")) {
            return null;
        }
        return prefix;
    }
}
