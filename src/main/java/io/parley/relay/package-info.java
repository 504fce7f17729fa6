/**
 * The relay: one {@link io.parley.relay.Conversation} per visitor, found by an opaque token, a
 * state machine that numbers every event it relays and fans each one out to every tab in order.
 * {@link io.parley.relay.Relay} is the shell around the conversations: tabs get a
 * {@link io.parley.relay.TabHandle} from {@code hello}, each conversation decides under its own
 * lock and returns {@link io.parley.relay.Effects}, and the relay carries them out (upstream
 * calls through {@code io.parley.upstream}, writes through
 * {@link io.parley.relay.ConversationStore}). Which node drives a conversation is asked of
 * {@link io.parley.relay.Ownership}. Nothing here knows which upstream API is behind the seam.
 */
package io.parley.relay;
