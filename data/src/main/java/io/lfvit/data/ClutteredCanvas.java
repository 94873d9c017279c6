package io.lfvit.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * "Cluttered Fashion-MNIST": each item drawn at a random scale and position on a larger black
 * canvas, over fragments of other items. The class-discriminative region is a fraction of the
 * image, and at half resolution small items lose their detail: the setting LF-ViT is built for.
 * Every canvas is a pure function of (seed, index, epoch), so runs and test sets are reproducible.
 */
public final class ClutteredCanvas implements ImageDataset {
    /** Generator settings. */
    public record Settings(int canvas, int minItem, int maxItem, int fragments, int minFragment, int maxFragment) {
        public static Settings standard() {
            return new Settings(112, 32, 64, 5, 6, 10);
        }
    }

    private final FashionMnist source;
    private final Settings settings;
    private final long seed;

    public ClutteredCanvas(FashionMnist source, Settings settings, long seed) {
        this.source = source;
        this.settings = settings;
        this.seed = seed;
    }

    @Override
    public int size() {
        return source.size();
    }

    @Override
    public List<String> classNames() {
        return FashionMnist.CLASS_NAMES;
    }

    @Override
    public int imageSize() {
        return settings.canvas();
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public String description() {
        return "cluttered-fmnist " + settings + " seed " + seed;
    }

    @Override
    public Sample get(int index, int epoch, boolean augment) {
        long variant = augment ? epoch + 1L : 0L;
        SplittableRandom random = new SplittableRandom(mix(seed, index, variant));
        int side = settings.canvas();
        float[] canvas = new float[side * side];
        for (int f = 0; f < settings.fragments(); f++) {
            drawFragment(canvas, random);
        }
        int size = random.nextInt(settings.minItem(), settings.maxItem() + 1);
        int x = random.nextInt(side - size + 1);
        int y = random.nextInt(side - size + 1);
        boolean flip = augment && random.nextBoolean();
        draw(canvas, source.image(index), 0, 0, FashionMnist.SIDE, size, x, y, flip);
        byte[] pixels = new byte[side * side];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) Math.min(255, Math.round(canvas[i]));
        }
        return new Sample(pixels, source.label(index));
    }

    private void drawFragment(float[] canvas, SplittableRandom random) {
        int other = random.nextInt(source.size());
        int crop = random.nextInt(settings.minFragment(), settings.maxFragment() + 1);
        int cx = random.nextInt(FashionMnist.SIDE - crop + 1);
        int cy = random.nextInt(FashionMnist.SIDE - crop + 1);
        int size = crop;
        int x = random.nextInt(settings.canvas() - size + 1);
        int y = random.nextInt(settings.canvas() - size + 1);
        draw(canvas, source.image(other), cx, cy, crop, size, x, y, false);
    }

    /**
     * Bilinear scale of the crop [cx,cx+crop) x [cy,cy+crop) of a 28x28 image to size x size at
     * (x,y), blended by maximum (items and fragments are bright on black).
     */
    private void draw(float[] canvas, byte[] image, int cx, int cy, int crop, int size, int x, int y, boolean flip) {
        int side = settings.canvas();
        double scale = (double) crop / size;
        for (int dy = 0; dy < size; dy++) {
            double sy = Math.min(crop - 1.0, Math.max(0, (dy + 0.5) * scale - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, crop - 1);
            double fy = sy - y0;
            for (int dx = 0; dx < size; dx++) {
                int tx = flip ? size - 1 - dx : dx;
                double sx = Math.min(crop - 1.0, Math.max(0, (tx + 0.5) * scale - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, crop - 1);
                double fx = sx - x0;
                double top = pixel(image, cx + x0, cy + y0) * (1 - fx) + pixel(image, cx + x1, cy + y0) * fx;
                double bottom = pixel(image, cx + x0, cy + y1) * (1 - fx) + pixel(image, cx + x1, cy + y1) * fx;
                float value = (float) (top * (1 - fy) + bottom * fy);
                int at = (y + dy) * side + x + dx;
                canvas[at] = Math.max(canvas[at], value);
            }
        }
    }

    private static int pixel(byte[] image, int x, int y) {
        return image[y * FashionMnist.SIDE + x] & 0xff;
    }

    private static long mix(long seed, long index, long variant) {
        long h = seed * 0x9E3779B97F4A7C15L + index;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + variant;
        return h ^ (h >>> 29);
    }
}
