package io.parley.upstream;

/**
 * The page the visitor is on, for agents to see: an http(s) address of the site that embeds the
 * widget (never its fragment; its query only where the site shares it), and its title as plain
 * text, or null.
 */
public record VisitorPage(String url, String title) {
}
