package io.lfvit.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.embedded.RegistryPerTest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CachingSchemaRegistryClientTest {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicLong nanos = new AtomicLong();

    @RegisterExtension
    final RegistryPerTest registry = new RegistryPerTest();

    private SchemaRegistryClient backend;

    @BeforeEach
    void start() {
        backend = counting(registry.client());
    }

    @Test
    void immutableAnswersAreFetchedOnce() {
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(backend, Duration.ZERO, nanos::get);
        Schema schema = ImageEvent.getClassSchema();
        int id = cache.register("images-value", schema);
        assertEquals(id, cache.register("images-value", schema));
        assertEquals(schema, cache.getById(id));
        assertEquals(id, cache.lookup("images-value", schema).id());
        assertEquals(id, cache.lookup("images-value", schema).id());

        assertEquals(1, calls("register"));
        assertEquals(0, calls("getById"), "registration already told us the id's schema");
        assertEquals(1, calls("lookup"));
    }

    @Test
    void failuresAreNotCached() {
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(backend, Duration.ZERO, nanos::get);
        assertThrows(NotFoundException.class, () -> cache.getById(1));
        int id = registry.client().register("images-value", ImageEvent.getClassSchema());
        assertEquals(ImageEvent.getClassSchema(), cache.getById(id));
        assertEquals(2, calls("getById"));
    }

    @Test
    void latestVersionIsKeptForItsTimeToLive() {
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(backend, Duration.ofSeconds(60), nanos::get);
        registry.client().register("s", Schema.create(Schema.Type.STRING));
        cache.getLatest("s");
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        cache.getLatest("s");
        assertEquals(1, calls("getLatest"));
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        cache.getLatest("s");
        assertEquals(2, calls("getLatest"));
    }

    @Test
    void negativeTimeToLiveKeepsTheLatestVersionForEverAndZeroNeverKeepsIt() {
        registry.client().register("s", Schema.create(Schema.Type.STRING));
        CachingSchemaRegistryClient forever = new CachingSchemaRegistryClient(backend, Duration.ofSeconds(-1), nanos::get);
        forever.getLatest("s");
        nanos.addAndGet(Duration.ofDays(365).toNanos());
        forever.getLatest("s");
        assertEquals(1, calls("getLatest"));

        CachingSchemaRegistryClient never = new CachingSchemaRegistryClient(backend, Duration.ZERO, nanos::get);
        never.getLatest("s");
        never.getLatest("s");
        assertEquals(3, calls("getLatest"));
    }

    private int calls(String method) {
        return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    private SchemaRegistryClient counting(SchemaRegistryClient target) {
        return (SchemaRegistryClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SchemaRegistryClient.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), name -> new AtomicInteger()).incrementAndGet();
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
