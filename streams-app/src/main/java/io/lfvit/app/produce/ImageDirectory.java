package io.lfvit.app.produce;

import io.lfvit.schemas.avro.ImageEncoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The JPEG and PNG files of a directory in name order (video frames: frame-0001.jpg, ...). Bytes are
 * sent as they are; width and height are read from the header. A file that is not an image is sent
 * too (the localizer dead-letters it), so a bad frame is accounted for, not skipped.
 */
public final class ImageDirectory implements Iterator<Frame> {
    private final List<Path> files;
    private int next;

    public ImageDirectory(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
            }).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no .jpg, .jpeg or .png files in " + dir);
        }
    }

    public int size() {
        return files.size();
    }

    @Override
    public boolean hasNext() {
        return next < files.size();
    }

    @Override
    public Frame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Path file = files.get(next++);
        try {
            byte[] bytes = Files.readAllBytes(file);
            ImageEncoding encoding = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")
                    ? ImageEncoding.PNG : ImageEncoding.JPEG;
            int[] dims = dimensions(file);
            return new Frame(bytes, encoding, dims[0], dims[1], dims[2], null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] dimensions(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (readers.hasNext()) {
                ImageReader r = readers.next();
                try {
                    r.setInput(in);
                    int bands = r.getRawImageType(0) == null ? 3 : r.getRawImageType(0).getNumBands();
                    return new int[] {r.getWidth(0), r.getHeight(0), bands == 1 ? 1 : 3};
                } finally {
                    r.dispose();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // an unreadable header: send it anyway, the localizer dead-letters it
        }
        return new int[] {0, 0, 3};
    }
}
