/**
 * The production {@link io.parley.upstream.UpstreamClient}: the Visitors Chat API v2 over HTTP on
 * Jetty's non-blocking, pooled {@code HttpClient}, with {@code X-API-Version: 2}, form-encoded
 * requests and JSON answers read with JSON-B. Every answer, however broken, becomes a typed result.
 */
package io.parley.upstream.http;
