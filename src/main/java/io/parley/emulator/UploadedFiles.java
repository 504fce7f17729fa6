package io.parley.emulator;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The files the emulator keeps, as LiveChat's file store would: uploaded by customers
 * ({@code upload_file}) or shared by agents. In memory, so bounded: at most {@link #MAX_FILE}
 * a file and {@link #MAX_TOTAL} in all, the oldest forgotten first to make room (its URL then
 * answers 404, as an expired upload's would).
 */
public final class UploadedFiles {

    public static final int MAX_FILE = 10 * 1024 * 1024;
    public static final long MAX_TOTAL = 64L * 1024 * 1024;

    /** One file kept. */
    public record Stored(String id, String name, String contentType, byte[] bytes) {
    }

    private final Map<String, Stored> files = new LinkedHashMap<>();
    private long total;

    /** Keeps a file; returns its id, which its URL names it by. */
    public synchronized String put(String name, String contentType, byte[] bytes) {
        if (bytes.length > MAX_FILE) {
            throw new IllegalArgumentException("a file larger than " + MAX_FILE + " bytes");
        }
        Iterator<Stored> oldest = files.values().iterator();
        while (total + bytes.length > MAX_TOTAL && oldest.hasNext()) {
            total -= oldest.next().bytes().length;
            oldest.remove();
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        files.put(id, new Stored(id, name, contentType, bytes));
        total += bytes.length;
        return id;
    }

    public synchronized Optional<Stored> get(String id) {
        return Optional.ofNullable(files.get(id));
    }

    /** The file a URL of the emulator's names ({@code .../emulator/files/<id>/<name>}), if it is kept. */
    public synchronized Optional<Stored> byUrl(String url) {
        if (url == null) {
            return Optional.empty();
        }
        int at = url.indexOf("/emulator/files/");
        if (at < 0) {
            return Optional.empty();
        }
        String rest = url.substring(at + "/emulator/files/".length());
        int slash = rest.indexOf('/');
        return get(slash < 0 ? rest : rest.substring(0, slash));
    }

    /** Bytes held in all. */
    public synchronized long totalBytes() {
        return total;
    }

    public synchronized void clear() {
        files.clear();
        total = 0;
    }
}
