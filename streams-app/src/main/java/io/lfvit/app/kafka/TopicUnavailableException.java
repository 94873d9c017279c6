package io.lfvit.app.kafka;

/**
 * A topic a command needs is missing and may not or cannot be created, or Kafka did not answer in time.
 * The message says in one line what is missing and what to do; command line tools print it instead of
 * a stack trace.
 */
public final class TopicUnavailableException extends IllegalStateException {
    public TopicUnavailableException(String message) {
        super(message);
    }
}
