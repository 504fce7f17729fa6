/**
 * The upstream, seen from Parley: LiveChat's Visitors Chat API v2 behind one interface
 * ({@link io.parley.upstream.UpstreamClient}: start, poll, send, close), with typed results
 * instead of exceptions and typed events instead of raw JSON.
 *
 * <p>Upstream ids ({@code visitor_id}, {@code secured_session_id}) live only inside
 * {@link io.parley.upstream.UpstreamSession}, whose {@code toString} never shows them.
 */
package io.parley.upstream;
