package io.parley.files;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a file is, read from its first bytes (its magic numbers), never from what the browser or
 * the name claims; the name only tells apart formats that share a container (Office's ZIP and
 * OLE files). Nothing that a browser could run as a page is ever recognised: no HTML, SVG or XML.
 */
public final class FileTypes {

    /** How many first bytes are read to tell a type. */
    public static final int HEAD = 8192;

    public static final String PNG = "image/png";
    public static final String JPEG = "image/jpeg";
    public static final String GIF = "image/gif";
    public static final String WEBP = "image/webp";
    public static final String PDF = "application/pdf";
    public static final String TEXT = "text/plain";
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static final String PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    public static final String DOC = "application/msword";
    public static final String XLS = "application/vnd.ms-excel";
    public static final String PPT = "application/vnd.ms-powerpoint";
    public static final String ODT = "application/vnd.oasis.opendocument.text";
    public static final String ODS = "application/vnd.oasis.opendocument.spreadsheet";
    public static final String ODP = "application/vnd.oasis.opendocument.presentation";

    /** Images a browser shows inline and never runs: the only types served without {@code attachment}. */
    private static final Set<String> SAFE_IMAGES = Set.of(PNG, JPEG, GIF, WEBP);

    private FileTypes() {
    }

    /** Whether a file of this type may be shown inline (a thumbnail) rather than downloaded. */
    public static boolean safeImage(String type) {
        return type != null && SAFE_IMAGES.contains(type);
    }

    /**
     * The type of a file whose first bytes are {@code head} (up to {@link #HEAD}, all of them
     * for a smaller file); empty when it is none of {@link #KNOWN}.
     */
    public static Optional<String> sniff(byte[] head, int length, String name) {
        String extension = extension(name);
        if (starts(head, length, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (starts(head, length, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (starts(head, length, 0, 'G', 'I', 'F', '8', '7', 'a') || starts(head, length, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return Optional.of(GIF);
        }
        if (starts(head, length, 0, 'R', 'I', 'F', 'F') && starts(head, length, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        if (starts(head, length, 0, '%', 'P', 'D', 'F', '-')) {
            return Optional.of(PDF);
        }
        if (starts(head, length, 0, 'P', 'K', 3, 4)) {
            return zipped(head, length, extension);
        }
        if (starts(head, length, 0, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return switch (extension) {
                case "doc" -> Optional.of(DOC);
                case "xls" -> Optional.of(XLS);
                case "ppt" -> Optional.of(PPT);
                default -> Optional.empty();
            };
        }
        return plainText(head, length, extension) ? Optional.of(TEXT) : Optional.empty();
    }

    /**
     * OpenDocument names its type in a first entry {@code mimetype}, stored; Office Open XML
     * starts with {@code [Content_Types].xml}, and its name's extension says which it is.
     */
    private static Optional<String> zipped(byte[] head, int length, String extension) {
        String first = entryName(head, length);
        if ("mimetype".equals(first)) {
            int nameLength = (head[26] & 0xFF) | (head[27] & 0xFF) << 8;
            int extra = (head[28] & 0xFF) | (head[29] & 0xFF) << 8;
            int start = 30 + nameLength + extra;
            for (String type : List.of(ODT, ODS, ODP)) {
                byte[] expected = type.getBytes(StandardCharsets.US_ASCII);
                if (start + expected.length <= length && java.util.Arrays.equals(head, start, start + expected.length,
                        expected, 0, expected.length)) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
        if ("[Content_Types].xml".equals(first) || first != null && first.startsWith("_rels/")) {
            return switch (extension) {
                case "docx" -> Optional.of(DOCX);
                case "xlsx" -> Optional.of(XLSX);
                case "pptx" -> Optional.of(PPTX);
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    private static String entryName(byte[] head, int length) {
        if (length < 30) {
            return null;
        }
        int nameLength = (head[26] & 0xFF) | (head[27] & 0xFF) << 8;
        if (30 + nameLength > length) {
            return null;
        }
        return new String(head, 30, nameLength, StandardCharsets.ISO_8859_1);
    }

    /**
     * Plain text: a name that says so (or none), UTF-8 throughout (a cut character at the end of
     * the head aside), no control characters but white space, and nothing that looks like markup.
     */
    private static boolean plainText(byte[] head, int length, String extension) {
        if (!Set.of("", "txt", "text", "log", "csv", "md").contains(extension) || length == 0) {
            return false;
        }
        String text = null;
        // a head cut from a longer file may end inside a character: up to three bytes are not its fault
        int cut = length == HEAD ? 3 : 0;
        for (int usable = length; text == null && usable >= length - cut && usable > 0; usable--) {
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, usable))
                        .toString();
            } catch (CharacterCodingException e) {
                text = null;
            }
        }
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7F) {
                return false;
            }
        }
        return !text.stripLeading().replace("\uFEFF", "").startsWith("<");
    }

    /** The lower-case extension of a name, or "". */
    static String extension(String name) {
        if (name == null) {
            return "";
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 || dot == name.length() - 1 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean starts(byte[] head, int length, int offset, int... expected) {
        if (offset + expected.length > length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((head[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
