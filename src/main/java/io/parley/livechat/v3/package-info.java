/**
 * LiveChat's Customer Chat API v3 as an {@link io.parley.upstream.Upstream}: tokens from the
 * accounts service, events pushed over one RTM socket per live chat, actions through the Web
 * API. The transports are behind {@link io.parley.livechat.v3.Accounts},
 * {@link io.parley.livechat.v3.CustomerApi} and {@link io.parley.livechat.v3.Rtm}; their HTTP
 * and WebSocket implementations are in {@code livechat.v3.http}.
 */
package io.parley.livechat.v3;
