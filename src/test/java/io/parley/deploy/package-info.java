/**
 * Deployment tests, run by failsafe after {@code package}: the built WAR on Jetty and on Tomcat,
 * and the built jar inside a host application, each with a whole chat through its WebSocket.
 * Parley's classes are not on their classpath; only what was packaged runs.
 */
package io.parley.deploy;
