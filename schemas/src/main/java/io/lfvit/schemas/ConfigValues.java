package io.lfvit.schemas;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed reads from a Kafka-style configuration map, whose values arrive as strings from properties
 * files but as booleans, numbers or classes when set in code.
 */
public final class ConfigValues {
    private final Map<String, ?> values;

    public ConfigValues(Map<String, ?> values) {
        this.values = Map.copyOf(values);
    }

    public Optional<String> string(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = value instanceof Class<?> type ? type.getName() : value.toString().trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    public boolean bool(String key, boolean defaultValue) {
        return string(key).map(text -> switch (text.toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, text, "expected true or false");
        }).orElse(defaultValue);
    }

    public long number(String key, long defaultValue) {
        Optional<String> text = string(key);
        try {
            return text.map(Long::parseLong).orElse(defaultValue);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, text.get(), "expected a whole number");
        }
    }

    /** A class named by the value, or the class itself when the value is a {@link Class}. */
    public Optional<Class<?>> type(String key) {
        Object value = values.get(key);
        if (value instanceof Class<?> type) {
            return Optional.of(type);
        }
        return string(key).map(name -> {
            try {
                return Class.forName(name, true, contextClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ConfigException(key, name, "class not found");
            }
        });
    }

    private static ClassLoader contextClassLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : ConfigValues.class.getClassLoader();
    }
}
