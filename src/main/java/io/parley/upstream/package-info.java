/**
 * The upstream seam: what the relay needs of a chat service, in its own terms.
 * {@link io.parley.upstream.Upstream} gives one {@link io.parley.upstream.UpstreamChat} per
 * visitor (start with the first message, send with the tab's message id, close), which reports
 * normalised {@link io.parley.upstream.ChatEvent}s and outcomes to its listener and keeps an
 * opaque snapshot the store holds. {@link io.parley.upstream.UpstreamCallListener} lets health
 * and metrics hear of every call without knowing the API. Adapters live in packages of their
 * own (LiveChat's Visitors Chat API v2: {@code io.parley.livechat.v2}); nothing but the wiring
 * imports them.
 */
package io.parley.upstream;
