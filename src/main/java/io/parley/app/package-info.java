/**
 * Start-up and wiring, in plain code and in one place: {@link io.parley.app.ParleyInitializer},
 * found by the servlet container in Parley's classes, reads the settings, builds the upstream
 * client, mounts the emulator in demo mode and registers the servlets below the mount path;
 * {@link io.parley.app.Parley} holds what was built for the life of the context.
 */
package io.parley.app;
