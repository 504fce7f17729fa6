package io.parley.relay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Visitor tokens and the ids drawn beside them. A token is 128 random bits; conversations are
 * found and stored by its SHA-256 only. Looking up the hash rather than the token is what makes
 * the lookup safe against timing: how long a comparison takes can at most reveal a prefix of a
 * hash, which says nothing of any token. A stolen store holds no usable token either.
 */
public final class VisitorTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private VisitorTokens() {
    }

    /** A new token: 16 random bytes, URL-safe Base64. */
    static String newToken() {
        return randomText(16);
    }

    /** A new upstream visitor id, drawn independently of the token. */
    static String newVisitorId() {
        return "p-" + randomText(16);
    }

    /**
     * The first of up to {@code tries} values drawn that {@code fits}, or the last drawn if none
     * did: where a value falls among several nodes is a hint, never a reason to fail.
     */
    static String drawn(java.util.function.Supplier<String> draw, java.util.function.Predicate<String> fits, int tries) {
        String value = draw.get();
        for (int tried = 1; tried < tries && !fits.test(value); tried++) {
            value = draw.get();
        }
        return value;
    }

    /** A new id of a shared file, drawn independently of the token: what its URL names it by. */
    static String newFileId() {
        return randomText(16);
    }

    /** A short id for log lines, unrelated to the token and to upstream ids. */
    static String newLogId() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The key a token's conversation is found and stored by (tools that write records use it too). */
    public static String key(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String randomText(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
