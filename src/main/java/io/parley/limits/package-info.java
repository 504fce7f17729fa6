/**
 * Abuse limits: token buckets per visitor and per client address for chat starts, messages and
 * WebSocket connections (chat starts through {@link io.parley.limits.SharedRateLimits}, which a
 * cluster keeps for all its members), each refusal carrying the time after which a retry will pass; a cap on
 * the connections open at once per address; and {@link io.parley.limits.Refusals}, which counts
 * every refusal and logs it at most once a minute per reason.
 */
package io.parley.limits;
