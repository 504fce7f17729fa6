package io.parley.upstream;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file the visitor sent, as the upstream is given it: its bytes wait on disk at {@code path}
 * (never in memory or in the conversation store), its type was read from those bytes, not taken
 * from the browser, and its name is safe to show.
 */
public record Attachment(String name, String contentType, long size, Path path) {

    public Attachment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(path, "path");
    }
}
