package io.parley.emulator.v3;

import java.time.Instant;

/** One logged-in RTM socket, as the pushes reach it. Implementations only queue: never block. */
public interface Connection {

    /** The customer it logged in as. */
    String customerId();

    /** The API version of its address ({@code 3.6}, {@code 3.5}), shown in each push. */
    String version();

    /** Whether the login asked for this push (all, when it named none). */
    boolean subscribed(String push);

    /** When the token it logged in with expires. */
    Instant tokenExpiry();

    /** Queues a frame. */
    void send(String frame);

    /** Pushes {@code customer_disconnected} with this reason, then closes. */
    void disconnect(String reason);

    /** Closes without a word first, as a broken connection would look. */
    void drop();
}
