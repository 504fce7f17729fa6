/**
 * Which sites may use this server: {@link io.parley.origins.AllowedOrigins} decides who may
 * frame the chat page, whose messages the page listens to, and whose WebSocket handshakes are
 * accepted, all from the one {@code allowed-origins} setting; {@link io.parley.origins.DemoHosts}
 * which host names a demo answers, so that no page elsewhere reaches it through DNS rebinding.
 */
package io.parley.origins;
