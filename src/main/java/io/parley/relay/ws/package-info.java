/**
 * The relay over WebSocket at {@code /ws}: one {@link io.parley.relay.ws.RelaySocket} per tab,
 * JSON frames in both directions as {@code docs/protocol.md} describes them, every incoming
 * frame validated, an ordered, bounded outbox per tab, and deadlines that cut connections which
 * hold a socket without saying hello or without sending whole frames.
 */
package io.parley.relay.ws;
