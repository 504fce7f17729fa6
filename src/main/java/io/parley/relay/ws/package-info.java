/**
 * The relay over WebSocket at {@code /ws}: one {@link io.parley.relay.ws.RelaySocket} per tab,
 * JSON frames in both directions as {@code docs/protocol.md} describes them, every incoming
 * frame validated, and an ordered, bounded outbox per tab.
 */
package io.parley.relay.ws;
