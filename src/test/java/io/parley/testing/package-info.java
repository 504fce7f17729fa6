/** Test support: the real server on port 0, and small clients for the emulator's HTTP APIs. */
package io.parley.testing;
