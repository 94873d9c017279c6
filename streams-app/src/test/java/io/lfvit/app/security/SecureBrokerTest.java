package io.lfvit.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.control.ControlClient;
import io.lfvit.app.inference.InferenceExecutor;
import io.lfvit.app.kafka.TopicSetup;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.app.support.AnswerLog;
import io.lfvit.app.support.Events;
import io.lfvit.app.support.RunningApps;
import io.lfvit.app.support.TestModels;
import io.lfvit.model.ModelConfig;
import io.lfvit.schemas.avro.Classification;
import io.lfvit.schemas.avro.ImageEvent;
import io.lfvit.schemas.registry.embedded.EmbeddedSchemaRegistry;
import io.lfvit.schemas.serde.AvroSerdes;
import io.lfvit.app.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that requires SASL_SSL (SCRAM-SHA-256) with ACLs, and a registry that requires basic auth: the
 * apps (localizer and focus worker, one user) and `lfvit produce` (ImageProducer, another user) work with
 * nothing but settings; a client without valid credentials is refused; the producer's user, allowed to
 * write images only, cannot change eta (ControlClient, what `lfvit eta` runs).
 */
class SecureBrokerTest {
    private static final String PREFIX = "sec";

    private static AppConfig config(SecureBroker broker, String registryUrl, String user, String password, Path state,
            Path modelDir) {
        Map<String, String> s = new TreeMap<>();
        broker.clientSettings(user, password).forEach((k, v) -> {
            if (!k.equals("bootstrap.servers")) {
                s.put(AppConfig.KAFKA_PREFIX + k, v);
            }
        });
        s.put(AppConfig.BOOTSTRAP_SERVERS, broker.bootstrap);
        s.put(AppConfig.SCHEMA_REGISTRY_URL, registryUrl);
        s.put("basic.auth.credentials.source", "USER_INFO");
        s.put("basic.auth.user.info", user + ":" + password);
        s.put(AppConfig.MODEL_DIR, modelDir.toString());
        s.put(AppConfig.DEVICE, "cpu");
        s.put(AppConfig.STATE_DIR, state.toString());
        for (String t : List.of("images", "classifications", "focus-tasks", "control", "dlq")) {
            s.put("topic." + t.replace("focus-tasks", "focus.tasks"), PREFIX + "-" + t);
        }
        s.put(AppConfig.TOPIC_FRAME_TAGS, PREFIX + "-frame-tags"); // created with the others (the tagger's output)
        s.put(AppConfig.TOPIC_PARTITIONS, "2");
        s.put(AppConfig.LOCALIZER_APPLICATION_ID, PREFIX + "-localizer");
        s.put(AppConfig.FOCUS_APPLICATION_ID, PREFIX + "-focus");
        s.put(AppConfig.TRANSACTION_TIMEOUT_MS, "10000");
        s.put(AppConfig.HTTP_PORT, "-1");
        s.put(AppConfig.BATCH_MAX, "8");
        s.put(AppConfig.BATCH_LINGER_MS, "20");
        return AppConfig.defaults().withAll(s);
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void appsAndProducerWorkWithTheirCredentialsOthersAreRefusedAndTheProducerCannotChangeEta(@TempDir Path tmp)
            throws Exception {
        Path modelDir = tmp.resolve("model");
        ModelConfig modelConfig = TestModels.tinyBundle(modelDir);
        Map<String, String> users = Map.of("lfvit", "apps-secret", "camera", "camera-secret");
        try (SecureBroker broker = new SecureBroker(tmp.resolve("broker"), "admin-secret", users);
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                        .basicAuth("lfvit:apps-secret,camera:camera-secret,admin:admin-secret").build();
                InferenceExecutor model = InferenceExecutor.load(modelDir, "cpu")) {
            String registryUrl = registry.start(0);
            try (Admin admin = Admin.create(broker.clientProps("admin", "admin-secret"))) {
                admin.createAcls(List.of(
                        // the apps: their topics, internal topics, groups and transactional ids, all prefixed "sec"
                        allow("lfvit", ResourceType.TOPIC, PREFIX, PatternType.PREFIXED, AclOperation.ALL),
                        allow("lfvit", ResourceType.GROUP, PREFIX, PatternType.PREFIXED, AclOperation.ALL),
                        allow("lfvit", ResourceType.TRANSACTIONAL_ID, PREFIX, PatternType.PREFIXED, AclOperation.ALL),
                        // a camera: writes images, nothing else
                        allow("camera", ResourceType.TOPIC, PREFIX + "-images", PatternType.LITERAL, AclOperation.WRITE),
                        allow("camera", ResourceType.TOPIC, PREFIX + "-images", PatternType.LITERAL, AclOperation.DESCRIBE)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            AppConfig apps = config(broker, registryUrl, "lfvit", "apps-secret", tmp.resolve("state"), modelDir);
            AppConfig camera = config(broker, registryUrl, "camera", "camera-secret", tmp.resolve("cam"), modelDir);
            AppConfig reader = config(broker, registryUrl, "admin", "admin-secret", tmp.resolve("reader"), modelDir);
            TopicSetup.ensure(apps); // as the apps' user: creating its topics is allowed

            try (RunningApps running = new RunningApps(apps, tmp, model).start();
                    AvroSerdes cameraSerdes = new AvroSerdes(camera.serdeConfig());
                    AvroSerdes readerSerdes = new AvroSerdes(reader.serdeConfig());
                    AnswerLog answers = new AnswerLog(reader, new Topics(reader, readerSerdes))) {
                Topics cameraTopics = new Topics(camera, cameraSerdes);
                List<ImageEvent> first = Events.randomImages("cam-1", 6, 1);
                try (ImageProducer producer = new ImageProducer(camera, cameraTopics.images())) {
                    Events.send(producer, first);
                }
                AnswerLog.await(() -> answers.classifications.size() >= first.size(), Duration.ofSeconds(90),
                        "the camera's images answered by the apps over SASL_SSL");
                assertEquals(List.of(), answers.deadLetters);

                // the camera may write images but not the control topic: eta stays
                Exception refused = assertThrows(Exception.class,
                        () -> new ControlClient(camera, cameraTopics.control()).set(0.0, null, null, "camera"));
                assertTrue(causedBy(refused, TopicAuthorizationException.class), refused.toString());
                assertTrue(new ControlClient(apps, running.topics.control()).show().isEmpty(), "no eta written");
                List<ImageEvent> second = Events.randomImages("cam-1", 4, 2);
                try (ImageProducer producer = new ImageProducer(camera, cameraTopics.images())) {
                    Events.send(producer, second);
                }
                AnswerLog.await(() -> answers.classifications.size() >= first.size() + second.size(), Duration.ofSeconds(60),
                        "the second images answered");
                for (Classification c : answers.classifications) {
                    assertEquals(modelConfig.eta(), c.getEta(), 1e-9, "the model's eta, unchanged");
                }
            }

            // a wrong password, and no SASL at all, are refused before anything is written
            for (Properties p : List.of(broker.clientProps("camera", "wrong"), noSasl(broker))) {
                p.put("max.block.ms", "10000");
                try (KafkaProducer<byte[], byte[]> intruder = new KafkaProducer<>(p, new ByteArraySerializer(),
                        new ByteArraySerializer())) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> intruder
                            .send(new ProducerRecord<>(PREFIX + "-images", new byte[] {1})).get(30, TimeUnit.SECONDS));
                    assertFalse(e.getCause() instanceof TopicAuthorizationException, "refused at the door, not by an ACL");
                    if (p.getProperty("sasl.jaas.config") != null) {
                        assertTrue(causedBy(e, SaslAuthenticationException.class), e.toString());
                    }
                }
            }
        }
    }

    private static Properties noSasl(SecureBroker broker) {
        Properties p = broker.clientProps("x", "y");
        p.put("security.protocol", "SSL");
        p.remove("sasl.jaas.config");
        p.remove("sasl.mechanism");
        return p;
    }
}
