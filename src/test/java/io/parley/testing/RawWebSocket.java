package io.parley.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket spoken byte by byte over a plain socket, to send what no client library will:
 * text frames that are not UTF-8, for one.
 */
public final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and completes the upgrade; fails unless the server answers 101. */
    public static RawWebSocket connect(URI ws) throws IOException {
        RawWebSocket raw = new RawWebSocket(new Socket(ws.getHost(), ws.getPort()));
        String key = Base64.getEncoder().encodeToString("parley-raw-socket".substring(0, 16).getBytes(StandardCharsets.US_ASCII));
        raw.out.write(("GET " + ws.getPath() + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(raw.in.readUnsignedByte());
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("no upgrade: " + head);
        }
        return raw;
    }

    /** Sends one final, masked frame (opcode 1 is text, 2 binary). */
    public void send(int opcode, byte[] payload) throws IOException {
        out.write(frame(opcode, payload));
        out.flush();
    }

    /** One final, masked frame of a client, as bytes on the wire (opcode 1 is text, 2 binary). */
    public static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /** A text frame of a client, as bytes on the wire. */
    public static byte[] textFrame(String text) {
        return frame(1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A frame of the server's: its opcode (8 is close) and payload. */
    public record Frame(int opcode, byte[] payload) {
    }

    /** Reads the next frame of the server's (unmasked, as servers send them). */
    public static Frame readFrame(DataInputStream in) throws IOException {
        int first = in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = (int) in.readLong();
        }
        return new Frame(first & 0x0f, in.readNBytes(length));
    }

    /** Reads frames until the server's close frame and returns its status code. */
    public int awaitCloseCode() throws IOException {
        while (true) {
            Frame frame = readFrame(in);
            if (frame.opcode() == 0x8) {
                byte[] payload = frame.payload();
                return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
