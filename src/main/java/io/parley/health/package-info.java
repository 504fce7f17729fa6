/**
 * {@code /healthz}: liveness (the relay's scheduler still runs) and readiness (this node is
 * taking tabs and the upstream answers), judged from real upstream calls rather than from an open
 * socket.
 */
package io.parley.health;
