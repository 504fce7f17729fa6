/**
 * A built-in emulator of LiveChat's Visitors Chat API v2, for the demo and for tests: the same
 * four HTTP calls under {@code /emulator}, chats that behave like the real service (one
 * {@code message_id} sequence per chat, agent details when an agent joins, the visitor's own
 * messages echoed, expiry after ~30 s without a poll, bans), a demo agent that answers by itself,
 * and fault injection. This package holds the emulated service; {@code io.parley.emulator.web}
 * serves it over HTTP.
 */
package io.parley.emulator;
