/**
 * The emulated Customer Chat API v3 over HTTP and WebSocket, below {@code /emulator}: the accounts
 * calls ({@code accounts/v2/token}, {@code accounts/v2/customer/token}), the Web API
 * ({@code v3.6/customer/action/<action>}, and {@code v3.5}) and the RTM socket
 * ({@code v3.6/customer/rtm/ws}, and {@code v3.5}), with the injected faults of each call.
 */
package io.parley.emulator.v3.web;
