/**
 * Conversations on disk: {@link io.parley.store.MvConversationStore} keeps them in one MVStore
 * file in the data directory, so that a restarted server resumes every live chat.
 */
package io.parley.store;
