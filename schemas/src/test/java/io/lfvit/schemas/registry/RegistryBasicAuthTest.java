package io.lfvit.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.embedded.EmbeddedSchemaRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded registry requiring HTTP basic auth, and our client sending it (Confluent's settings). */
class RegistryBasicAuthTest {

    private static HttpSchemaRegistryClient client(String url, String userInfo) {
        return new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(userInfo == null
                ? Map.of("schema.registry.url", url)
                : Map.of("schema.registry.url", url, "basic.auth.credentials.source", "USER_INFO",
                        "basic.auth.user.info", userInfo)));
    }

    @Test
    void onlyAClientWithValidCredentialsIsServed() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .basicAuth("localizer:l-secret,producer:p-secret").build()) {
            String url = registry.start(0);
            int id = client(url, "producer:p-secret").register("images-value", ImageEvent.getClassSchema());
            assertEquals(ImageEvent.getClassSchema(), client(url, "localizer:l-secret").getById(id));
            assertEquals(401, assertThrows(RegistryAuthenticationException.class,
                    () -> client(url, null).getById(id)).httpStatus(), "no credentials");
            assertEquals(401, assertThrows(RegistryAuthenticationException.class,
                    () -> client(url, "producer:wrong").getById(id)).httpStatus(), "a wrong password");
            assertEquals(401, assertThrows(RegistryAuthenticationException.class,
                    () -> client(url, "nobody:p-secret").register("x-value", ImageEvent.getClassSchema())).httpStatus());
        }
    }

    @Test
    void withoutUsersTheRegistryIsOpenAsBefore() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().basicAuth("").build()) {
            String url = registry.start(0);
            int id = client(url, null).register("images-value", ImageEvent.getClassSchema());
            assertEquals(ImageEvent.getClassSchema(), client(url, null).getById(id));
        }
    }
}
