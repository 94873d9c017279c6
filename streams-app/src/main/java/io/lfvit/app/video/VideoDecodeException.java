package io.lfvit.app.video;

/** A video that cannot be read (not a video, a container or codec JCodec does not read, a corrupt stream), with why. */
public final class VideoDecodeException extends RuntimeException {
    public VideoDecodeException(String message, Throwable cause) {
        super(message, cause);
    }

    public VideoDecodeException(String message) {
        super(message);
    }
}
