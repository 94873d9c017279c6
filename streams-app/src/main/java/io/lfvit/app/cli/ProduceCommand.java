package io.lfvit.app.cli;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.kafka.TopicSetup;
import io.lfvit.app.produce.Canvases;
import io.lfvit.app.produce.Frame;
import io.lfvit.app.produce.ImageDirectory;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.app.topics.Topics;
import io.lfvit.schemas.serde.AvroSerdes;
import io.lfvit.app.video.VideoDecodeException;
import io.lfvit.app.video.VideoFrames;
import io.lfvit.app.video.VideoProducer;
import io.lfvit.data.FashionMnist;
import java.time.Instant;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Feeds real inputs to the images topic as ImageEvents keyed by source id: a directory of images (JPEG/PNG, any size), a directory of video frames (sent in name order), a video file (MP4/H.264), or generated cluttered Fashion-MNIST canvases, at a given rate.")
public final class ProduceCommand implements Callable<Integer> {

    static final class Input {
        @Option(names = "--images-dir", paramLabel = "DIR", description = "JPEG/PNG files, sent in name order.")
        Path images;

        @Option(names = "--frames-dir", paramLabel = "DIR", description = "Video frames (frame-0001.jpg, ...), in order, one source.")
        Path frames;

        @Option(names = "--canvases", paramLabel = "N", description = "N cluttered Fashion-MNIST test canvases (labelled).")
        Integer canvases;

        @Option(names = "--video", paramLabel = "FILE", description = "A video file (MP4/MOV, H.264), decoded with JCodec: "
                + "frames as JPEG, frame_seq = frame number, capture_time = now + the frame's timestamp.")
        Path video;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--source", paramLabel = "ID", defaultValue = "cam-1", description = "Source id (the topic key). Default: ${DEFAULT-VALUE}.")
    String source;

    @Option(names = "--rate", paramLabel = "IMG/S", defaultValue = "0", description = "Images per second; 0 = as fast as possible.")
    double rate;

    @Option(names = "--fps", paramLabel = "F", defaultValue = "0", description = "With --video: frames per second of video time to send; 0 = every frame. Default: ${DEFAULT-VALUE}.")
    double fps;

    @Option(names = "--live", description = "With --video: send each frame when its timestamp comes (the video's rate, from now), like a camera.")
    boolean live;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1", description = "Send the directory N times.")
    int repeat;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    Path dataDir = FashionMnist.DEFAULT_DIR;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        AppConfig c = config.load();
        if (input.video != null) {
            return sendVideo(c);
        }
        TopicSetup.ensure(c);
        long start = System.nanoTime();
        long sent = 0;
        try (AvroSerdes serdes = new AvroSerdes(c.serdeConfig());
                ImageProducer producer = new ImageProducer(c, new Topics(c, serdes).images())) {
            for (int r = 0; r < Math.max(1, repeat); r++) {
                Iterator<Frame> frames = input.canvases != null ? Canvases.load(dataDir, input.canvases)
                        : new ImageDirectory(input.images != null ? input.images : input.frames);
                sent += producer.sendAll(frames, i -> source, rate, null, null);
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "sent %d images for source %s to %s in %.1f s (%.0f img/s)%n", sent, source,
                c.string(AppConfig.TOPIC_IMAGES), s, sent / s);
        return 0;
    }

    private int sendVideo(AppConfig c) {
        long start = System.nanoTime();
        long sent;
        try (VideoFrames frames = new VideoFrames(input.video, fps)) {
            TopicSetup.ensure(c);
            try (AvroSerdes serdes = new AvroSerdes(c.serdeConfig());
                    ImageProducer producer = new ImageProducer(c, new Topics(c, serdes).images())) {
                System.out.printf(Locale.ROOT, "sending %s as source %s%s%s%n", input.video, source,
                        fps > 0 ? String.format(Locale.ROOT, " at %.1f frames per second of video", fps) : ", every frame",
                        live ? ", live (at the video's rate)" : "");
                sent = VideoProducer.send(producer, frames, source, Instant.now(), live, null);
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "sent %d of %d frames of %s for source %s to %s in %.1f s%n", sent, frames.decoded(),
                    input.video, source, c.string(AppConfig.TOPIC_IMAGES), s);
        } catch (VideoDecodeException e) {
            System.err.println("lfvit produce: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
