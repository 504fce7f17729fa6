/**
 * What an operator can measure, at {@code /metrics} in Prometheus' text format: conversations and
 * tabs, upstream calls by kind and outcome with their latency, the agent-to-browser latency,
 * rate-limit refusals, the upstream HTTP client's requests, and the JVM. Built on Micrometer,
 * with a registry per Parley, so that two in one JVM keep apart.
 */
package io.parley.metrics;
