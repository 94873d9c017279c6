package io.lfvit.schemas.serde;

import org.apache.avro.Schema;

/** The record's full name: several types per topic, each evolving on its own across topics. */
public final class RecordNameStrategy implements SubjectNameStrategy {
    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
        return schema.getFullName();
    }
}
