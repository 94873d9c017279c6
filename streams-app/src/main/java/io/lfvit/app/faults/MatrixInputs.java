package io.lfvit.app.faults;

import io.lfvit.app.produce.Canvases;
import io.lfvit.app.produce.Frame;
import io.lfvit.schemas.avro.DeadLetterReason;
import io.lfvit.schemas.avro.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The images every case sends, from several sources: cluttered Fashion-MNIST test canvases as RAW pixels
 * (six cameras) and as PNG files (two image feeds), and every {@link #BAD_EVERY}-th image a corrupt JPEG
 * from a broken feed, which must be dead-lettered as UNDECODABLE_IMAGE and nothing else.
 */
final class MatrixInputs {
    static final int BAD_EVERY = 50;
    static final int CAMERAS = 6;
    static final int FEEDS = 2;

    /** One image to send: its source, the frame, and the dead-letter reason it must get (null: a good image). */
    record Input(String source, Frame frame, DeadLetterReason mustDeadLetter) {}

    private final List<Frame> canvases = new ArrayList<>();
    private final List<Frame> pngs = new ArrayList<>();

    MatrixInputs(Path fashionMnist, int distinct) throws IOException {
        Canvases.load(fashionMnist, distinct).forEachRemaining(canvases::add);
        for (Frame raw : canvases) {
            pngs.add(new Frame(png(raw), ImageEncoding.PNG, raw.width(), raw.height(), raw.channels(), raw.label()));
        }
    }

    /** The i-th image of a stream. */
    Input get(long i) {
        int k = (int) (i % canvases.size());
        if (i % BAD_EVERY == BAD_EVERY - 1) {
            byte[] corrupt = new byte[600];
            new Random(i).nextBytes(corrupt);
            corrupt[0] = (byte) 0xFF; // a JPEG start-of-image marker, then garbage
            corrupt[1] = (byte) 0xD8;
            return new Input("feed-broken", new Frame(corrupt, ImageEncoding.JPEG, 112, 112, 1, null),
                    DeadLetterReason.UNDECODABLE_IMAGE);
        }
        int slot = (int) (i % (CAMERAS + FEEDS));
        return slot < CAMERAS ? new Input("cam-" + slot, canvases.get(k), null) : new Input("feed-" + (slot - CAMERAS), pngs.get(k), null);
    }

    private static byte[] png(Frame raw) {
        BufferedImage img = new BufferedImage(raw.width(), raw.height(), BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, raw.width(), raw.height(), raw.image());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
