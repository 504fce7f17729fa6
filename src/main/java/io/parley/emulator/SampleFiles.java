package io.parley.emulator;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** What an agent of the emulator shares: a sample picture, drawn once. */
public final class SampleFiles {

    private static volatile byte[] image;

    private SampleFiles() {
    }

    /** A 320×200 PNG: a sky and a sun over a hill. */
    public static byte[] image() {
        byte[] drawn = image;
        if (drawn == null) {
            drawn = draw();
            image = drawn;
        }
        return drawn;
    }

    private static byte[] draw() {
        BufferedImage picture = new BufferedImage(320, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0x8EC5FC), 0, 200, new Color(0xE0C3FC)));
        g.fillRect(0, 0, 320, 200);
        g.setColor(new Color(0xFFC93C));
        g.fillOval(210, 30, 60, 60);
        g.setColor(new Color(0x2E7D32));
        g.fillOval(-60, 130, 440, 180);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(picture, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
