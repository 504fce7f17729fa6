/**
 * Conversations on disk: {@link io.parley.store.MvConversationStore} keeps them in one MVStore
 * file in the data directory, so that a restarted server resumes every live chat, and fails safe
 * on a damaged file; {@link io.parley.store.DefaultDataDirectory} says where that directory is
 * when no {@code data-dir} is set.
 */
package io.parley.store;
