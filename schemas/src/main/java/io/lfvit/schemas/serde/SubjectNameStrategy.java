package io.lfvit.schemas.serde;

import org.apache.avro.Schema;

/**
 * The registry subject a topic's keys or values are registered under. Configured by class name as
 * {@code key.subject.name.strategy} / {@code value.subject.name.strategy}; Confluent's class names
 * of the built-in strategies are accepted too.
 */
@FunctionalInterface
public interface SubjectNameStrategy {
    String subjectName(String topic, boolean isKey, Schema schema);
}
