package io.parley.cluster;

import java.io.Serializable;

/**
 * A conversation's shared record: its JSON, and who may write it. Each node that takes the
 * conversation over raises the epoch; a write from an older epoch is refused.
 *
 * @param node  the member that claimed it last (its UUID), empty for a record offered after a whole-cluster restart
 * @param epoch the claim's number, 1 for a conversation's first
 * @param json  the conversation, as stores keep it
 */
record Held(String node, long epoch, String json) implements Serializable {
}
