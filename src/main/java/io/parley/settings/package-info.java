/**
 * Parley's settings: one immutable {@link io.parley.settings.Settings} object, read once at
 * start-up from servlet context init parameters, Java system properties ({@code parley.<name>})
 * and environment variables ({@code PARLEY_<NAME>}), in that order, and validated as a whole so
 * that a bad value stops start-up with one line naming the setting.
 */
package io.parley.settings;
