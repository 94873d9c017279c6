package io.lfvit.schemas.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;

/**
 * Caches what never changes in a registry (schemas by id, the id of a schema under a subject), so
 * the serdes call the registry once per schema rather than once per record. The latest version of
 * a subject can change, so it is kept for a configurable time only. Failures are not cached.
 *
 * <p>Values are fetched outside any lock: two threads missing the same key may both ask the
 * registry, which is harmless, while a slow registry never blocks readers of other keys.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {
    private record SubjectSchema(String subject, Schema schema) {}

    private record Expiring(RegisteredSchema value, long expiresAtNanos) {}

    private final SchemaRegistryClient delegate;
    private final Duration latestTtl;
    private final LongSupplier nanoClock;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, RegisteredSchema> lookups = new ConcurrentHashMap<>();
    private final Map<String, Expiring> latest = new ConcurrentHashMap<>();

    /** @param latestTtl how long {@link #getLatest} answers are reused; negative for ever, zero for never */
    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, Duration latestTtl) {
        this(delegate, latestTtl, System::nanoTime);
    }

    CachingSchemaRegistryClient(SchemaRegistryClient delegate, Duration latestTtl, LongSupplier nanoClock) {
        this.delegate = delegate;
        this.latestTtl = latestTtl;
        this.nanoClock = nanoClock;
    }

    public SchemaRegistryClient delegate() {
        return delegate;
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer id = idsBySubjectSchema.get(key);
        if (id == null) {
            id = delegate.register(subject, schema);
            idsBySubjectSchema.put(key, id);
            schemasById.putIfAbsent(id, schema);
        }
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        RegisteredSchema found = lookups.get(key);
        if (found == null) {
            found = delegate.lookup(subject, schema);
            lookups.put(key, found);
            schemasById.putIfAbsent(found.id(), found.schema());
        }
        return found;
    }

    @Override
    public Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            schema = delegate.getById(id);
            schemasById.put(id, schema);
        }
        return schema;
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        long now = nanoClock.getAsLong();
        Expiring cached = latest.get(subject);
        if (cached != null && (latestTtl.isNegative() || now - cached.expiresAtNanos() < 0)) {
            return cached.value();
        }
        RegisteredSchema fresh = delegate.getLatest(subject);
        if (!latestTtl.isZero()) {
            latest.put(subject, new Expiring(fresh, now + latestTtl.toNanos()));
        }
        schemasById.putIfAbsent(fresh.id(), fresh.schema());
        return fresh;
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return delegate.getVersion(subject, version);
    }

    @Override
    public List<String> getSubjects() {
        return delegate.getSubjects();
    }

    @Override
    public List<Integer> getVersions(String subject) {
        return delegate.getVersions(subject);
    }

    @Override
    public CompatibilityCheck testCompatibility(String subject, Schema schema) {
        return delegate.testCompatibility(subject, schema);
    }

    @Override
    public CompatibilityLevel getCompatibility() {
        return delegate.getCompatibility();
    }

    @Override
    public CompatibilityLevel getCompatibility(String subject) {
        return delegate.getCompatibility(subject);
    }

    @Override
    public void setCompatibility(CompatibilityLevel level) {
        delegate.setCompatibility(level);
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        delegate.setCompatibility(subject, level);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
