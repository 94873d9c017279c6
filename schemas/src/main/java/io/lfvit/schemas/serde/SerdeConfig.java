package io.lfvit.schemas.serde;

import io.lfvit.schemas.ConfigValues;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde's own settings, read with Confluent's key names (the registry connection is read by
 * {@link io.lfvit.schemas.registry.RegistryClientConfig}).
 *
 * @param autoRegisterSchemas register the record's schema on first write (else it must already be registered)
 * @param useLatestVersion write with the subject's latest schema instead of the record's own
 * @param specificType the generated class to read into, for serdes Kafka instantiates by class name
 * @param latestCacheTtl how long the latest version is reused; negative for ever
 */
public record SerdeConfig(
        boolean autoRegisterSchemas,
        boolean useLatestVersion,
        SubjectNameStrategy subjectNameStrategy,
        Optional<Class<?>> specificType,
        Duration latestCacheTtl) {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

    private static final Map<String, Supplier<SubjectNameStrategy>> BUILT_IN = Map.of(
            "TopicNameStrategy", TopicNameStrategy::new,
            "RecordNameStrategy", RecordNameStrategy::new,
            "TopicRecordNameStrategy", TopicRecordNameStrategy::new);
    private static final String CONFLUENT_STRATEGY_PACKAGE = "io.confluent.kafka.serializers.subject.";

    public static SerdeConfig fromMap(Map<String, ?> configs, boolean isKey) {
        ConfigValues values = new ConfigValues(configs);
        String strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
        return new SerdeConfig(
                values.bool(AUTO_REGISTER_SCHEMAS, true),
                values.bool(USE_LATEST_VERSION, false),
                values.string(strategyKey).map(name -> strategy(strategyKey, name)).orElseGet(TopicNameStrategy::new),
                values.type(isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE),
                Duration.ofSeconds(values.number(LATEST_CACHE_TTL_SEC, -1)));
    }

    /** A built-in strategy by simple, our or Confluent's class name; else an implementation class. */
    private static SubjectNameStrategy strategy(String key, String name) {
        String simpleName = name.startsWith(CONFLUENT_STRATEGY_PACKAGE)
                ? name.substring(CONFLUENT_STRATEGY_PACKAGE.length())
                : name.replace(SubjectNameStrategy.class.getPackageName() + ".", "");
        Supplier<SubjectNameStrategy> builtIn = BUILT_IN.get(simpleName);
        if (builtIn != null) {
            return builtIn.get();
        }
        Class<?> type = new ConfigValues(Map.of(key, name)).type(key).orElseThrow();
        if (!SubjectNameStrategy.class.isAssignableFrom(type)) {
            throw new ConfigException(key, name, "not a " + SubjectNameStrategy.class.getName());
        }
        try {
            return (SubjectNameStrategy) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new ConfigException(key, name, "cannot instantiate: " + cause);
        }
    }
}
