/**
 * The emulator over HTTP, mounted under {@code /emulator} in demo mode only: the four calls of
 * the Visitors Chat API ({@link io.parley.emulator.web.VisitorApiServlet}), the agent console
 * ({@link io.parley.emulator.web.AgentConsoleServlet}) and a JSON agent API for scripts and
 * tests ({@link io.parley.emulator.web.AgentApiServlet}).
 */
package io.parley.emulator.web;
