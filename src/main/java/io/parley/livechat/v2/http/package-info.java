/**
 * The production {@link io.parley.livechat.v2.UpstreamClient}: the Visitors Chat API v2 over HTTP on
 * Jetty's non-blocking, pooled {@code HttpClient}, with {@code X-API-Version: 2}, form-encoded
 * requests and JSON answers read without recursion and with bounded depth and size
 * ({@code BoundedJson}, {@code BoundedBody}). Every answer, however broken or hostile, becomes a
 * typed result, and every call completes.
 */
package io.parley.livechat.v2.http;
