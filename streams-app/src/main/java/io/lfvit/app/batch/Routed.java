package io.lfvit.app.batch;

/** One output of a stage: the sink (child processor) it goes to, its key and value. */
public record Routed(String sink, String key, Object value) {}
