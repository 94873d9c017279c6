package io.lfvit.trainer.eval;

import io.lfvit.model.ModelConfig;
import io.lfvit.model.select.Region;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The paper's Fig. 6 for our data: hard images (sent to focus) with the NGCA window outlined and
 * the split cells (those re-read at full resolution) boxed in yellow, captioned with the localization and focus answers.
 */
public final class RegionGallery {
    private static final int SCALE = 2;
    private static final int CAPTION = 34;

    /** One tile: raw image [C,S,S], its region and caption lines. */
    public record Tile(byte[] pixels, Region region, String line1, String line2, boolean correct) {}

    private RegionGallery() {}

    public static void write(Path file, ModelConfig config, List<Tile> tiles, int columns) throws IOException {
        int s = config.imageSize() * SCALE;
        int rows = (tiles.size() + columns - 1) / columns;
        BufferedImage out = new BufferedImage(columns * (s + 8) + 8, rows * (s + CAPTION + 8) + 8,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int t = 0; t < tiles.size(); t++) {
            int x0 = 8 + (t % columns) * (s + 8);
            int y0 = 8 + (t / columns) * (s + CAPTION + 8);
            drawTile(g, config, tiles.get(t), x0, y0);
        }
        g.dispose();
        ImageIO.write(out, "png", file.toFile());
    }

    private static void drawTile(Graphics2D g, ModelConfig config, Tile tile, int x0, int y0) {
        int size = config.imageSize();
        int plane = size * size;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int r = tile.pixels()[y * size + x] & 0xff;
                int gr = config.channels() == 3 ? tile.pixels()[plane + y * size + x] & 0xff : r;
                int b = config.channels() == 3 ? tile.pixels()[2 * plane + y * size + x] & 0xff : r;
                image.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        int s = size * SCALE;
        g.drawImage(image, x0, y0, s, s, null);
        int cell = 2 * config.patchSize() * SCALE;
        int grid = config.locGrid();
        Region region = tile.region();
        if (region != null) {
            g.setColor(new Color(0xFFC800));
            g.setStroke(new BasicStroke(1f));
            for (int c : region.splitCells()) {
                g.drawRect(x0 + (c % grid) * cell + 2, y0 + (c / grid) * cell + 2, cell - 4, cell - 4);
            }
            g.setColor(new Color(0xFF3030));
            g.setStroke(new BasicStroke(2.5f));
            g.drawRect(x0 + region.col() * cell, y0 + region.row() * cell, region.size() * cell, region.size() * cell);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        g.drawString(tile.line1(), x0, y0 + s + 13);
        g.setColor(tile.correct() ? new Color(0x1A7F1A) : new Color(0xB00020));
        g.drawString(tile.line2(), x0, y0 + s + 27);
    }
}
