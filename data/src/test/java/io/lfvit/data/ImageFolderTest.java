package io.lfvit.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    private void image(String dir, String name, Color color, String format) throws IOException {
        Files.createDirectories(root.resolve(dir));
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 40, 30);
        g.dispose();
        ImageIO.write(img, format, root.resolve(dir).resolve(name).toFile());
    }

    @Test
    void classFoldersBecomeSortedLabelsAndImagesAreResized() throws IOException {
        image("red", "a.png", Color.RED, "png");
        image("blue", "b.jpg", Color.BLUE, "jpg");
        image("blue", "c.png", Color.BLUE, "png");
        ImageFolder rgb = new ImageFolder(root, 16, 3);
        assertEquals(List.of("blue", "red"), rgb.classNames());
        assertEquals(3, rgb.size());
        Sample red = rgb.get(2, 0, false);
        assertEquals(1, red.label());
        assertEquals(3 * 16 * 16, red.pixels().length);
        assertEquals(255, red.pixels()[0] & 0xff, "red channel");
        assertEquals(0, red.pixels()[16 * 16] & 0xff, "green channel");
        ImageFolder gray = new ImageFolder(root, 16, 1);
        assertEquals(76, gray.get(2, 0, false).pixels()[0] & 0xff, "luma of pure red");
    }

    @Test
    void aFolderWithoutClassesIsRefused() throws IOException {
        image("only", "a.png", Color.RED, "png");
        IOException e = assertThrows(IOException.class, () -> new ImageFolder(root, 16, 1));
        assertTrue(e.getMessage().contains("at least two class"), e.getMessage());
    }
}
