/**
 * The relay: one {@link io.parley.relay.Conversation} per visitor, found by an opaque token,
 * holding one upstream session however many tabs are attached, numbering every event it relays,
 * and fanning each one out to every tab in order. {@link io.parley.relay.Relay} coordinates
 * tabs, upstream calls and the poller; the registry sits behind
 * {@link io.parley.relay.ConversationRegistry}.
 */
package io.parley.relay;
