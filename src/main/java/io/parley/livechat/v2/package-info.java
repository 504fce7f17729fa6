/**
 * LiveChat's Visitors Chat API v2 as an {@link io.parley.upstream.Upstream}: one
 * {@link io.parley.livechat.v2.V2Chat} per visitor, polled on one shared
 * {@link io.parley.livechat.v2.UpstreamPoller} at an adaptive, jittered pace
 * ({@link io.parley.livechat.v2.PollSchedule}) that never leaves a live chat long enough for the
 * upstream's ~30 s keep-alive to close it. v2 has no client message ids: the visitor's sends that
 * may have landed are settled from the transcript by their echoes
 * ({@link io.parley.livechat.v2.VisitorSends}), and events are deduplicated by
 * {@code message_id} ({@link io.parley.livechat.v2.SeenMessageIds}). What must survive a restart
 * is the adapter's own snapshot ({@link io.parley.livechat.v2.V2Snapshot}).
 *
 * <p>Upstream ids ({@code visitor_id}, {@code secured_session_id}) live only inside
 * {@link io.parley.livechat.v2.UpstreamSession}, whose {@code toString} never shows them, and in
 * that snapshot, which only the store holds. Only the wiring imports this package.
 */
package io.parley.livechat.v2;
