package io.lfvit.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Users' own data: one sub-directory per class (sorted names = class ids) holding JPEG/PNG files,
 * each resized to the model input (aspect ratio ignored) and converted to the model's channels.
 * Augmentation: a horizontal flip chosen per (index, epoch).
 */
public final class ImageFolder implements ImageDataset {
    private final List<Path> files = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();
    private final List<String> classNames = new ArrayList<>();
    private final int imageSize;
    private final int channels;
    private final Path root;

    public ImageFolder(Path root, int imageSize, int channels) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        this.imageSize = imageSize;
        this.channels = channels;
        this.root = root;
        List<Path> classDirs;
        try (Stream<Path> list = Files.list(root)) {
            classDirs = list.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.size() < 2) {
            throw new IOException(root + " needs at least two class sub-directories, found " + classDirs.size());
        }
        for (Path dir : classDirs) {
            int label = classNames.size();
            classNames.add(dir.getFileName().toString());
            try (Stream<Path> list = Files.list(dir)) {
                for (Path file : list.filter(ImageFolder::isImage).sorted().toList()) {
                    files.add(file);
                    labels.add(label);
                }
            }
        }
        if (files.isEmpty()) {
            throw new IOException(root + " holds no .jpg/.jpeg/.png files in its class directories");
        }
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public Sample get(int index, int epoch, boolean augment) {
        BufferedImage image;
        try {
            image = ImageIO.read(files.get(index).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + files.get(index), e);
        }
        if (image == null) {
            throw new UncheckedIOException(new IOException("not a decodable image: " + files.get(index)));
        }
        boolean flip = augment && ((index * 31L + epoch) & 1) == 1;
        return new Sample(toPixels(image, imageSize, channels, flip), labels.get(index));
    }

    /** Resizes (bilinear) and converts an image to channel-major 8-bit pixels [C,S,S]. */
    public static byte[] toPixels(BufferedImage image, int size, int channels, boolean flip) {
        BufferedImage scaled = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        if (flip) {
            g.drawImage(image, size, 0, -size, size, null);
        } else {
            g.drawImage(image, 0, 0, size, size, null);
        }
        g.dispose();
        byte[] pixels = new byte[channels * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = scaled.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int gr = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                int at = y * size + x;
                if (channels == 1) {
                    pixels[at] = (byte) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
                } else {
                    pixels[at] = (byte) r;
                    pixels[size * size + at] = (byte) gr;
                    pixels[2 * size * size + at] = (byte) b;
                }
            }
        }
        return pixels;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int imageSize() {
        return imageSize;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public String description() {
        return "image-folder " + root.toAbsolutePath() + " (" + files.size() + " files, " + imageSize + "px, "
                + channels + " channels)";
    }
}
