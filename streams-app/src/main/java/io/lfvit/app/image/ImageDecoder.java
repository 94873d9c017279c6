package io.lfvit.app.image;

import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns an image of any size and encoding (JPEG, PNG, WebP, TIFF, BMP, GIF, or RAW row-major HWC uint8)
 * into the model's input: uint8 pixels, channel-major [C, S, S]. Sizes are checked before anything is
 * allocated: the message size against {@code maxBytes}, the declared or header dimensions against
 * {@code maxPixels} (a decompression bomb is refused before decoding).
 *
 * <p>Files are read by whichever ImageIO reader recognises the bytes (the JDK's for JPEG, PNG, GIF, BMP;
 * TwelveMonkeys' plugins for WebP, TIFF and more BMP variants), so the declared encoding is a label, not a
 * switch. A large JPEG for a grey model is read as its 8 x 8 block means, without inverse DCTs
 * ({@link JpegDcReader}). A JPEG is turned upright by its EXIF orientation, after the fast subsampled read. An animated
 * image (GIF, WebP, APNG) is read at its first frame. An image whose reader warned while decoding (cut
 * short, corrupt scan data: ImageIO fills the rest and only warns) is dead-lettered as PARTIAL_IMAGE, or
 * with {@link PartialImages#DEGRADED} decoded and marked with the warning.
 */
public final class ImageDecoder {
    private final int size;
    private final int channels;
    private final int maxBytes;
    private final long maxPixels;
    private final PartialImages partialImages;

    public ImageDecoder(int size, int channels, int maxBytes, long maxPixels) {
        this(size, channels, maxBytes, maxPixels, PartialImages.DEAD_LETTER);
    }

    public ImageDecoder(int size, int channels, int maxBytes, long maxPixels, PartialImages partialImages) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("model channels must be 1 or 3, got " + channels);
        }
        this.size = size;
        this.channels = channels;
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
        this.partialImages = partialImages;
    }

    public int size() {
        return size;
    }

    public int channels() {
        return channels;
    }

    /** Model input [C, S, S] uint8, or the reason the image cannot be used. */
    public byte[] decode(ImageEncoding encoding, int width, int height, int declaredChannels, ByteBuffer image)
            throws ImageRejectedException {
        return decodeImage(encoding, width, height, declaredChannels, image).pixels();
    }

    /**
     * Model input [C, S, S] uint8 and, under {@code image.partial=degraded}, why it is only part of the
     * image; or the reason the image cannot be used (PARTIAL_IMAGE for a partial one under dead-letter).
     */
    public DecodedImage decodeImage(ImageEncoding encoding, int width, int height, int declaredChannels, ByteBuffer image)
            throws ImageRejectedException {
        int length = image == null ? 0 : image.remaining();
        if (length > maxBytes) {
            throw new ImageRejectedException(DeadLetterReason.OVERSIZE,
                    "image of " + length + " bytes exceeds image.max.bytes=" + maxBytes);
        }
        if (length == 0) {
            throw new ImageRejectedException(DeadLetterReason.UNDECODABLE_IMAGE, "empty image");
        }
        byte[] bytes = new byte[length];
        image.duplicate().get(bytes);
        if (encoding == ImageEncoding.RAW) {
            return new DecodedImage(raw(width, height, declaredChannels, bytes).toModelInput(size, channels), null);
        }
        Read read = compressed(encoding, bytes);
        if (read.warnings().isEmpty()) {
            return new DecodedImage(read.planar().toModelInput(size, channels), null);
        }
        String reason = "the " + read.format() + " image decoded only in part (the decoder warned: "
                + String.join("; ", read.warnings()) + ")";
        if (partialImages == PartialImages.DEAD_LETTER) {
            throw new ImageRejectedException(DeadLetterReason.PARTIAL_IMAGE, reason + "; image.partial=dead-letter");
        }
        return new DecodedImage(read.planar().toModelInput(size, channels), reason);
    }

    /** The pixels as read (upright), the reader's format name and the warnings it gave while decoding. */
    private record Read(Planar planar, String format, List<String> warnings) {}

    private Planar raw(int width, int height, int c, byte[] bytes) throws ImageRejectedException {
        if (width <= 0 || height <= 0) {
            throw new ImageRejectedException(DeadLetterReason.WRONG_SIZE, "RAW image needs positive width and height, got "
                    + width + "x" + height);
        }
        if (c != 1 && c != 3) {
            throw new ImageRejectedException(DeadLetterReason.WRONG_SIZE, "RAW image needs 1 or 3 channels, got " + c);
        }
        checkPixels(width, height);
        long expected = (long) width * height * c;
        if (bytes.length != expected) {
            throw new ImageRejectedException(DeadLetterReason.WRONG_SIZE, "RAW " + width + "x" + height + "x" + c
                    + " needs " + expected + " bytes, got " + bytes.length);
        }
        if (c == 1) {
            return new Planar(bytes, 1, height, width); // one plane is already channel-major (and this copy is ours)
        }
        byte[] planes = new byte[bytes.length];
        int hw = width * height;
        for (int i = 0, j = 0; i < hw; i++, j += 3) {
            planes[i] = bytes[j];
            planes[hw + i] = bytes[j + 1];
            planes[2 * hw + i] = bytes[j + 2];
        }
        return new Planar(planes, c, height, width);
    }

    private void checkPixels(long width, long height) throws ImageRejectedException {
        if (width * height > maxPixels) {
            throw new ImageRejectedException(DeadLetterReason.OVERSIZE, "image of " + width + "x" + height
                    + " pixels exceeds image.max.pixels=" + maxPixels);
        }
    }

    private Read compressed(ImageEncoding encoding, byte[] bytes) throws ImageRejectedException {
        Read fast = channels == 1 && JpegDcReader.isJpeg(bytes) ? blockMeans(bytes) : null;
        if (fast != null) {
            return fast;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageRejectedException(DeadLetterReason.UNDECODABLE_IMAGE,
                        "not a readable " + encoding + " image (no decoder recognises the bytes)");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                // not forward-only: a refused grey read is read again in colour. Image 0: the first frame of
                // an animation (GIF, WebP; an APNG's default image is its first frame).
                reader.setInput(in, false, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkPixels(width, height);
                String format = reader.getFormatName().toUpperCase(java.util.Locale.ROOT);
                Planar planar = Planar.of(read(reader, width, height, warnings));
                if (format.equals("JPEG") || format.equals("JPG")) {
                    format = "JPEG";
                    planar = planar.oriented(ExifOrientation.of(bytes));
                }
                return new Read(planar, format, List.copyOf(warnings));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(DeadLetterReason.UNDECODABLE_IMAGE,
                    "cannot decode " + encoding + " image: " + e.getMessage(), e);
        }
    }

    /**
     * A large JPEG for a grey model, read as the means of its 8 x 8 luma blocks ({@link JpegDcReader}): at
     * 1/8 of each side, a 1920 x 1080 frame still gives 240 x 135, more than the model's input, and the
     * block means are an exact box filter (no aliasing). Null, and ImageIO decodes instead, for an image
     * whose 1/8 would be smaller than the model's side, a coding the reader leaves to ImageIO, or bytes it
     * cannot make sense of (ImageIO then gives the verdict).
     */
    private Read blockMeans(byte[] bytes) throws ImageRejectedException {
        JpegDcReader.Header header = JpegDcReader.header(bytes);
        if (header == null || Math.min(header.width(), header.height()) / 8 < size) {
            return null;
        }
        checkPixels(header.width(), header.height());
        JpegDcReader.Result dc;
        try {
            dc = JpegDcReader.read(bytes);
        } catch (JpegDcReader.FormatException | RuntimeException e) {
            return null;
        }
        if (dc == null) {
            return null;
        }
        Planar means = new Planar(dc.luma(), 1, dc.height(), dc.width());
        return new Read(means.oriented(ExifOrientation.of(bytes)), "JPEG", dc.warnings());
    }

    /**
     * Decodes no more than the model needs. A camera frame is many times the model's input: the decoder
     * keeps every k-th pixel of every k-th row (k chosen so that at least twice the model's side remains,
     * which the area-averaging resize then smooths), and for a grey model a JPEG is decoded to its luma
     * only (libjpeg then skips the chroma planes and the colour conversion). For a 1920 x 1080 JPEG this
     * is ~4x faster than decoding it whole (see the frame rows of docs/pipeline-efficiency.md). Readers that refuse the grey
     * destination are read in colour and converted.
     */
    private BufferedImage read(ImageReader reader, int width, int height, List<String> warnings) throws IOException {
        int step = Math.max(1, Math.min(width, height) / (2 * size));
        if (channels == 1 && "JPEG".equalsIgnoreCase(reader.getFormatName())) {
            ImageReadParam grey = subsampled(reader, step);
            grey.setDestinationType(GREY);
            try {
                return reader.read(0, grey);
            } catch (IOException | IllegalArgumentException refused) {
                // a JPEG whose colour space cannot be read as grey (CMYK, ...): read it in colour below
                warnings.clear();
            }
        }
        return reader.read(0, subsampled(reader, step));
    }

    private static ImageReadParam subsampled(ImageReader reader, int step) {
        ImageReadParam param = reader.getDefaultReadParam();
        if (step > 1) {
            param.setSourceSubsampling(step, step, 0, 0);
        }
        return param;
    }

    private static final ImageTypeSpecifier GREY = ImageTypeSpecifier.createGrayscale(8, java.awt.image.DataBuffer.TYPE_BYTE,
            false);

    /** Channel-major uint8 pixels [c, h, w]. */
    record Planar(byte[] planes, int c, int h, int w) {

        static Planar of(BufferedImage image) {
            int w = image.getWidth();
            int h = image.getHeight();
            boolean grey = image.getColorModel().getNumColorComponents() == 1;
            int c = grey ? 1 : 3;
            byte[] planes = new byte[c * w * h];
            if (grey) {
                var raster = image.getRaster();
                int bits = image.getColorModel().getComponentSize(0);
                int[] row = new int[w];
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, 0, row);
                    for (int x = 0; x < w; x++) {
                        int v = bits > 8 ? row[x] >> (bits - 8) : bits < 8 ? row[x] * 255 / ((1 << bits) - 1) : row[x];
                        planes[y * w + x] = (byte) v;
                    }
                }
            } else {
                int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
                int hw = w * h;
                for (int i = 0; i < hw; i++) {
                    planes[i] = (byte) (argb[i] >> 16);
                    planes[hw + i] = (byte) (argb[i] >> 8);
                    planes[2 * hw + i] = (byte) argb[i];
                }
            }
            return new Planar(planes, c, h, w);
        }

        /**
         * The picture a viewer shows for EXIF orientation {@code o} (1..8) of these stored pixels: the
         * transform is applied to the (already subsampled) planes, so the fast read is kept.
         */
        Planar oriented(int o) {
            if (o <= 1 || o > 8) {
                return this;
            }
            boolean swap = ExifOrientation.swapsSides(o);
            int ow = swap ? h : w;
            int oh = swap ? w : h;
            byte[] out = new byte[planes.length];
            int hw = h * w;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int sx, sy; // the stored pixel shown at (x, y)
                    switch (o) {
                        case 2 -> { sx = w - 1 - x; sy = y; }          // mirrored left-right
                        case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }  // turned 180
                        case 4 -> { sx = x; sy = h - 1 - y; }          // mirrored top-bottom
                        case 5 -> { sx = y; sy = x; }                  // transposed
                        case 6 -> { sx = y; sy = h - 1 - x; }          // stored turned 90 counter-clockwise: turn it clockwise
                        case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }  // transversed
                        default -> { sx = w - 1 - y; sy = x; }         // 8: stored turned 90 clockwise: turn it back
                    }
                    for (int ch = 0; ch < c; ch++) {
                        out[ch * hw + y * ow + x] = planes[ch * hw + sy * w + sx];
                    }
                }
            }
            return new Planar(out, c, oh, ow);
        }

        byte[] toModelInput(int size, int channels) {
            Planar converted = withChannels(channels);
            return converted.h == size && converted.w == size ? converted.planes : converted.resize(size).planes;
        }

        private Planar withChannels(int target) {
            if (target == c) {
                return this;
            }
            int hw = h * w;
            byte[] out = new byte[target * hw];
            if (target == 1) { // ITU-R BT.601 luma
                for (int i = 0; i < hw; i++) {
                    double y = 0.299 * (planes[i] & 0xff) + 0.587 * (planes[hw + i] & 0xff)
                            + 0.114 * (planes[2 * hw + i] & 0xff);
                    out[i] = (byte) Math.min(255, Math.round(y));
                }
            } else {
                for (int ch = 0; ch < target; ch++) {
                    System.arraycopy(planes, 0, out, ch * hw, hw);
                }
            }
            return new Planar(out, target, h, w);
        }

        /**
         * Resizes each plane to size x size: area averaging when shrinking (every source pixel counts,
         * no aliasing), bilinear (half-pixel centres) when enlarging.
         */
        private Planar resize(int size) {
            if (w >= size && h >= size) {
                return shrink(size);
            }
            byte[] out = new byte[c * size * size];
            for (int ch = 0; ch < c; ch++) {
                int src = ch * h * w;
                int dst = ch * size * size;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        out[dst + y * size + x] = (byte) sample(src, x, y, size);
                    }
                }
            }
            return new Planar(out, c, size, size);
        }

        /**
         * Area averaging, as {@link #sample} computes it per pixel, done separably: the overlap weights of
         * each axis are computed once, rows are averaged, then columns (a camera frame's block means
         * shrink to the model's side in a fraction of the per-pixel form's time; profiled in the bench).
         */
        private Planar shrink(int size) {
            int[] firstX = new int[size];
            int[] firstY = new int[size];
            double[][] wx = overlaps(w, size, firstX);
            double[][] wy = overlaps(h, size, firstY);
            double[] areaX = sums(wx);
            double[] areaY = sums(wy);
            byte[] out = new byte[c * size * size];
            double[] rows = new double[h * size]; // each source row averaged across: [h][size]
            for (int ch = 0; ch < c; ch++) {
                int src = ch * h * w;
                for (int yy = 0; yy < h; yy++) {
                    int row = src + yy * w;
                    for (int x = 0; x < size; x++) {
                        double sum = 0;
                        double[] weights = wx[x];
                        for (int i = 0; i < weights.length; i++) {
                            sum += weights[i] * (planes[row + firstX[x] + i] & 0xff);
                        }
                        rows[yy * size + x] = sum;
                    }
                }
                int dst = ch * size * size;
                for (int y = 0; y < size; y++) {
                    double[] weights = wy[y];
                    for (int x = 0; x < size; x++) {
                        double sum = 0;
                        for (int j = 0; j < weights.length; j++) {
                            sum += weights[j] * rows[(firstY[y] + j) * size + x];
                        }
                        out[dst + y * size + x] = (byte) Math.min(255, Math.round(sum / (areaX[x] * areaY[y])));
                    }
                }
            }
            return new Planar(out, c, size, size);
        }

        /** Per output cell of an axis of {@code n} pixels shrunk to {@code size}: its first source pixel and overlaps. */
        private static double[][] overlaps(int n, int size, int[] first) {
            double scale = (double) n / size;
            double[][] weights = new double[size][];
            for (int o = 0; o < size; o++) {
                double a = o * scale;
                double b = a + scale;
                int lo = (int) a;
                int hi = Math.min(n, (int) Math.ceil(b));
                first[o] = lo;
                weights[o] = new double[hi - lo];
                for (int i = lo; i < hi; i++) {
                    weights[o][i - lo] = Math.min(b, i + 1) - Math.max(a, i);
                }
            }
            return weights;
        }

        private static double[] sums(double[][] weights) {
            double[] sums = new double[weights.length];
            for (int o = 0; o < weights.length; o++) {
                for (double v : weights[o]) {
                    sums[o] += v;
                }
            }
            return sums;
        }

        private int sample(int src, int x, int y, int size) {
            double sx = (double) w / size;
            double sy = (double) h / size;
            if (sx >= 1 && sy >= 1) {
                double x0 = x * sx, x1 = x0 + sx, y0 = y * sy, y1 = y0 + sy;
                double sum = 0, area = 0;
                for (int yy = (int) y0; yy < Math.min(h, Math.ceil(y1)); yy++) {
                    double wy = Math.min(y1, yy + 1) - Math.max(y0, yy);
                    for (int xx = (int) x0; xx < Math.min(w, Math.ceil(x1)); xx++) {
                        double wx = Math.min(x1, xx + 1) - Math.max(x0, xx);
                        sum += wx * wy * (planes[src + yy * w + xx] & 0xff);
                        area += wx * wy;
                    }
                }
                return (int) Math.min(255, Math.round(sum / area));
            }
            double fx = Math.max(0, Math.min(w - 1, (x + 0.5) * sx - 0.5));
            double fy = Math.max(0, Math.min(h - 1, (y + 0.5) * sy - 0.5));
            int x0 = (int) fx, y0 = (int) fy;
            int x1 = Math.min(w - 1, x0 + 1), y1 = Math.min(h - 1, y0 + 1);
            double ax = fx - x0, ay = fy - y0;
            double top = (1 - ax) * (planes[src + y0 * w + x0] & 0xff) + ax * (planes[src + y0 * w + x1] & 0xff);
            double bottom = (1 - ax) * (planes[src + y1 * w + x0] & 0xff) + ax * (planes[src + y1 * w + x1] & 0xff);
            return (int) Math.min(255, Math.round((1 - ay) * top + ay * bottom));
        }
    }
}
