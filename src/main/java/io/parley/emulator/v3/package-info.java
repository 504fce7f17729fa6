/**
 * The emulator's Customer Chat API v3 (v3.6, and v3.5 for LiveChat's own Customer SDK) and the
 * accounts calls it needs: tokens of the demo account, customers, chats made of threads (each
 * thread is one chat of the console, so the agents' side is the same for both APIs), the actions
 * of the Web API and RTM, and the pushes to each customer's logged-in sockets.
 * {@code io.parley.emulator.v3.web} serves it over HTTP and WebSocket.
 */
package io.parley.emulator.v3;
