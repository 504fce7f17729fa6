/**
 * Start-up and wiring, in plain code and in one place: {@link io.parley.app.ParleyBootstrap}
 * reads the settings, builds the upstream client, mounts the emulator in demo mode and registers
 * the servlets; {@link io.parley.app.Parley} holds what was built for the life of the context.
 */
package io.parley.app;
