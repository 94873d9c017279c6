package io.lfvit.app.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * The EXIF orientation of a JPEG (TIFF tag 274, values 1..8): how a viewer turns and mirrors the stored
 * pixels to show the picture upright. Phones store the sensor's pixels and set this tag instead of
 * rotating them. Read with TwelveMonkeys' EXIF reader from the APP1 segment only (the scan is not read);
 * 1 (as stored) when there is no EXIF, no tag or an unreadable one: a broken tag never costs the image.
 */
public final class ExifOrientation {
    public static final int AS_STORED = 1;

    private ExifOrientation() {}

    public static int of(byte[] jpeg) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            for (JPEGSegment segment : exif) {
                try (InputStream data = segment.data()) {
                    byte[] tiff = data.readAllBytes();
                    int start = tiff.length > 0 && tiff[0] == 0 ? 1 : 0; // "Exif\0" is followed by a pad byte
                    try (ImageInputStream tiffIn = ImageIO.createImageInputStream(
                            new ByteArrayInputStream(tiff, start, tiff.length - start))) {
                        Directory directory = new TIFFReader().read(tiffIn);
                        Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
                        if (entry != null) {
                            int value = entry.getValue() instanceof Number n ? n.intValue()
                                    : Integer.parseInt(entry.getValueAsString().trim());
                            return value >= 1 && value <= 8 ? value : AS_STORED;
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // no usable EXIF: the pixels as stored
        }
        return AS_STORED;
    }

    /** Whether the orientation swaps width and height (5..8: a quarter turn, with or without a mirror). */
    public static boolean swapsSides(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }
}
