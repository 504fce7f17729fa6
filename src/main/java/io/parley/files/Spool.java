package io.parley.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the visitor's files wait on disk between their upload and their delivery upstream: the
 * bytes are never held in memory whole nor written to the conversation store. A file is deleted
 * once delivered or refused; a sweep deletes what nothing waits for any more (a file of a chat
 * that ended, or of a node that stopped meanwhile) once it is older than a day's uploads need.
 */
public final class Spool {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    private final Path directory;

    private Spool(Path directory) {
        this.directory = directory;
    }

    /** A spool in {@code directory}, made if need be. */
    public static Spool in(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("The upload spool " + directory + " cannot be made: " + e.getMessage(), e);
        }
        return new Spool(directory);
    }

    /** A new, empty file to spool an upload into. */
    Path newFile() throws IOException {
        return Files.createTempFile(directory, "upload-", ".bin");
    }

    /** Deletes the spooled files older than {@code age} that are not in {@code waiting}; returns how many. */
    public int sweep(Set<Path> waiting, Duration age, Instant now) {
        int deleted = 0;
        FileTime cutoff = FileTime.from(now.minus(age));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "upload-*.bin")) {
            for (Path file : files) {
                if (!waiting.contains(file) && Files.getLastModifiedTime(file).compareTo(cutoff) < 0) {
                    Files.deleteIfExists(file);
                    deleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("The upload spool {} could not be swept: {}", directory, e.toString());
        }
        return deleted;
    }

    public Path directory() {
        return directory;
    }
}
