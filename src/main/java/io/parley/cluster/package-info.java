/**
 * Several nodes sharing their conversations through embedded Hazelcast: who drives each
 * conversation (the owner of its key's partition, fenced by an epoch in its shared record), the
 * shared store, handing conversations over when members come and go, and where a tab of a
 * conversation driven elsewhere is forwarded; the rate limits every member counts against, and
 * whether partitions have settled, asked without waiting on a member. Only {@link io.parley.cluster.Cluster} is loaded by
 * a node alone: no Hazelcast class is, unless {@code cluster-members} is set.
 */
package io.parley.cluster;
