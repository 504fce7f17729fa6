/**
 * Abuse limits: token buckets per visitor and per client address for chat starts, messages and
 * WebSocket connections, each refusal carrying the time after which a retry will pass.
 */
package io.parley.limits;
