package io.lfvit.schemas.registry;

import io.lfvit.schemas.ConfigValues;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/** Builds the registry client's SSLContext from Confluent's {@code schema.registry.ssl.*} keys. */
final class RegistrySsl {
    static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    static final String KEY_PASSWORD = "schema.registry.ssl.key.password";

    private RegistrySsl() {}

    /** Null (the JDK's defaults) unless a truststore or a keystore (mutual TLS) is configured. */
    static SSLContext fromConfig(ConfigValues values) {
        Optional<String> truststore = values.string(TRUSTSTORE_LOCATION);
        Optional<String> keystore = values.string(KEYSTORE_LOCATION);
        if (truststore.isEmpty() && keystore.isEmpty()) {
            return null;
        }
        try {
            TrustManagerFactory trust = null;
            if (truststore.isPresent()) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(truststore.get(), values.string(TRUSTSTORE_TYPE), values.string(TRUSTSTORE_PASSWORD)));
            }
            KeyManagerFactory keys = null;
            if (keystore.isPresent()) {
                Optional<String> storePassword = values.string(KEYSTORE_PASSWORD);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(keystore.get(), values.string(KEYSTORE_TYPE), storePassword),
                        values.string(KEY_PASSWORD).or(() -> storePassword).map(String::toCharArray).orElse(null));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("Cannot set up TLS for the schema registry: " + e.getMessage());
        }
    }

    private static KeyStore load(String location, Optional<String> type, Optional<String> password)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(type.orElse("JKS"));
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password.map(String::toCharArray).orElse(null));
        }
        return store;
    }
}
