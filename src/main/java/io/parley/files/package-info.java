/**
 * Files in the chat: the visitor's uploads ({@link io.parley.files.UploadServlet}), checked
 * before anything of them is kept (size, type read from the bytes), spooled to disk
 * ({@link io.parley.files.Spool}) and handed to the relay; and every file shared, served from
 * Parley's own origin ({@link io.parley.files.FileServlet}) in a way that can never run script
 * there, proxied from the upstream so that the browser never talks to it.
 */
package io.parley.files;
