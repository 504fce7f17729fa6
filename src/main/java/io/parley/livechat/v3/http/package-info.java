/**
 * The production transports of LiveChat's Customer Chat API v3: {@link io.parley.livechat.v3.http.HttpAccounts}
 * (agent and customer tokens from the accounts service), {@link io.parley.livechat.v3.http.HttpCustomerApi}
 * (the Web API, one POST per action) on Jetty's non-blocking, pooled {@code HttpClient}, and
 * {@link io.parley.livechat.v3.http.RtmClient} (the RTM WebSocket: login, pings, requests matched
 * to responses, pushes in order) on Jetty's WebSocket client. Answers are bounded in size and
 * nesting and read into plain maps and lists; every failure becomes a
 * {@link io.parley.livechat.v3.V3Failure} that says whether the call may have landed. No message
 * or log line here carries a token, a customer id or a chat id.
 */
package io.parley.livechat.v3.http;
