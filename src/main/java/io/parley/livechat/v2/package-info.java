/**
 * The upstream poller: one shared scheduler drives the polls of every conversation, at most one
 * in flight per conversation and a global cap on polls in flight, at an adaptive, jittered pace
 * ({@link io.parley.livechat.v2.PollSchedule}) that never leaves a live chat long enough for the
 * upstream's ~30 s keep-alive to close it.
 */
package io.parley.livechat.v2;
