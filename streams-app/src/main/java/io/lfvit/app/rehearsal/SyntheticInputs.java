package io.lfvit.app.rehearsal;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlKeys;
import io.lfvit.app.image.ImageDecoder;
import io.lfvit.app.image.ImageRejectedException;
import io.lfvit.app.image.JpegEncoder;
import io.lfvit.app.produce.Frame;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.model.ModelConfig;
import io.lfvit.schemas.avro.ControlUpdate;
import io.lfvit.schemas.avro.ImageEncoding;
import io.lfvit.schemas.avro.ImageEvent;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Made-up inputs for a rehearsal: images as producers send them, and per-source eta that routes them both ways. */
final class SyntheticInputs {
    /** One record in this many is a JPEG camera frame (decoded on the decode pool), the rest raw model-sized images. */
    static final int JPEG_EVERY = 8;
    static final int JPEG_WIDTH = 640;
    static final int JPEG_HEIGHT = 480;

    /** A source whose eta override sends its images one way: eta 0 answers at localization, eta 1 sends to focus. */
    record Route(String source, double eta) {
        String controlKey() {
            return ControlKeys.forSource(source);
        }

        ControlUpdate update() {
            return ControlUpdate.newBuilder().setEta(eta).setUpdatedAt(Instant.now()).setUpdatedBy("lfvit rehearsal").build();
        }
    }

    private SyntheticInputs() {}

    /** Half the images answered at localization, half sent to focus, whatever the model makes of them. */
    static List<Route> routes() {
        return List.of(new Route("rehearsal-exit", 0.0), new Route("rehearsal-focus", 1.0));
    }

    /**
     * {@code n} image events from the routes' sources in turn: raw model-sized images of noise, every
     * {@link #JPEG_EVERY}th a colour JPEG frame.
     */
    static List<ImageEvent> images(ModelConfig model, int n, List<Route> routes) {
        List<String> sources = routes.stream().map(Route::source).toList();
        List<ImageEvent> raw = rawImages(model, n, sources);
        byte[] jpeg = jpegFrame();
        List<ImageEvent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i % JPEG_EVERY == JPEG_EVERY - 1
                    ? ImageProducer.event(sources.get(i % sources.size()), i,
                            new Frame(jpeg, ImageEncoding.JPEG, JPEG_WIDTH, JPEG_HEIGHT, 3, null))
                    : raw.get(i));
        }
        return out;
    }

    /** {@code n} raw images of the model's size and channels, of seeded noise, from {@code sources} in turn. */
    static List<ImageEvent> rawImages(ModelConfig model, int n, List<String> sources) {
        Random random = new Random(42);
        int size = model.imageSize();
        List<ImageEvent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] pixels = new byte[size * size * model.channels()];
            random.nextBytes(pixels);
            out.add(ImageProducer.event(sources.get(i % sources.size()), i,
                    new Frame(pixels, ImageEncoding.RAW, size, size, model.channels(), null)));
        }
        return out;
    }

    /** A smooth colour frame with some noise, encoded once by ImageIO's JPEG writer. */
    static byte[] jpegFrame() {
        BufferedImage image = new BufferedImage(JPEG_WIDTH, JPEG_HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(7);
        for (int y = 0; y < JPEG_HEIGHT; y++) {
            for (int x = 0; x < JPEG_WIDTH; x++) {
                int r = (x * 255 / JPEG_WIDTH + random.nextInt(16)) & 0xff;
                int g = (y * 255 / JPEG_HEIGHT + random.nextInt(16)) & 0xff;
                image.setRGB(x, y, r << 16 | g << 8 | ((r + g) / 2));
            }
        }
        return JpegEncoder.encode(image);
    }

    /** The model input of an event, as the localizer decodes it. */
    static final class Pixels {
        private final ImageDecoder decoder;

        Pixels(AppConfig config, ModelConfig model) {
            decoder = new ImageDecoder(model.imageSize(), model.channels(), config.imageMaxBytes(), config.imageMaxPixels(),
                    config.imagePartial());
        }

        byte[] of(ImageEvent e) {
            try {
                return decoder.decodeImage(e.getEncoding(), e.getWidth(), e.getHeight(), e.getChannels(), e.getImage()).pixels();
            } catch (ImageRejectedException rejected) {
                throw new IllegalStateException("a made-up image was refused: " + rejected.getMessage(), rejected);
            }
        }
    }
}
