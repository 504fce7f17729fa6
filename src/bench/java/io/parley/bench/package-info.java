/**
 * The benchmark ({@code bench/run}): Parley in its own JVM with the emulator as upstream, load
 * from this JVM over loopback with Jetty's WebSocket client, a bare Jetty WebSocket echo server
 * measured beside it, and a report in {@code target/bench/}.
 */
package io.parley.bench;
