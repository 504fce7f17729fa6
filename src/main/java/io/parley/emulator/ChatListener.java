package io.parley.emulator;

/** Told of what visitors do, so that the demo agent can answer. Called outside any lock. */
public interface ChatListener {

    void chatStarted(EmulatedChat chat);

    void visitorWrote(EmulatedChat chat);
}
