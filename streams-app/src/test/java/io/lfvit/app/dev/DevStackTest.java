package io.lfvit.app.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lfvit dev} as its users meet it: a child JVM started like the launcher does, and an
 * outside client that knows nothing of our classes: plain HTTP for the registry, plain Avro, a
 * {@code KafkaProducer<byte[], byte[]>} writing the Confluent wire format by hand, a plain consumer.
 *
 * <p>Exit code: {@code lfvit dev} handles SIGTERM itself (it does not leave it to the JVM, which
 * would exit 143 = 128 + 15): the stack stops in order and the process exits 0, as a supervisor
 * expects from a clean stop. So 0 is asserted, not 143.
 */
class DevStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path IMAGE_EVENT_AVSC = Path.of("..", "schemas", "src", "main", "avro", "ImageEvent.avsc");
    private static final Pattern DATA_LINE = Pattern.compile("^\\s+data\\s+(\\S+)");

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private Path log;

    @AfterEach
    void killLeftover() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void outsideClientGetsItsImageClassifiedAndSigtermLeavesNothingBehind() throws Exception {
        int[] ports = freePorts(3);
        String bootstrap = "127.0.0.1:" + ports[0];
        String registry = "http://127.0.0.1:" + ports[1];
        Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));

        // Step 1: start `lfvit dev` as a child JVM and wait for its banner.
        startDev(childTmp, "--port", String.valueOf(ports[0]), "--registry-port", String.valueOf(ports[1]),
                "--http-port", String.valueOf(ports[2]), "--untrained", "--device", "cpu");
        Path dataDir = awaitBanner(Duration.ofSeconds(90));
        assertTrue(Files.isDirectory(dataDir), "data dir " + dataDir);
        assertTrue(dataDir.startsWith(childTmp), "temporary data under the JVM's temp dir: " + dataDir);
        assertTrue(output().contains(bootstrap), output());
        assertTrue(output().contains(registry), output());
        assertEquals(200, get("http://localhost:" + ports[2] + "/health").statusCode(), "health\n" + output());

        // Step 2: register the ImageEvent schema from the .avsc file, over HTTP, as a third-party client would.
        String avsc = Files.readString(IMAGE_EVENT_AVSC);
        Schema imageEvent = new Schema.Parser().parse(avsc);
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(registry + "/subjects/images-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("schema", avsc).toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, registered.statusCode(), registered.body());
        int schemaId = JSON.readTree(registered.body()).get("id").asInt();

        // Step 3: produce one ImageEvent (a PNG, key = source id) in the Confluent wire format with a plain producer.
        String eventId = UUID.randomUUID().toString();
        String source = "outside-cam";
        byte[] value = wireFormat(schemaId, imageEvent, imageEvent(imageEvent, eventId, source));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("images", source.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
        }

        // Step 4: read the answer with a plain consumer; the writer schema comes from GET /schemas/ids/{id}.
        GenericRecord answer = awaitAnswer(bootstrap, registry, eventId, Duration.ofSeconds(45));
        assertEquals(source, answer.get("source_id").toString());
        assertNotNull(answer.get("class_name"), answer.toString());
        assertTrue(List.of("LOCALIZATION", "FOCUS").contains(answer.get("stage").toString()), answer.toString());

        // Step 5: SIGTERM; a clean stop within the timeout, exit code 0, and nothing left in the temp dir.
        stopAndExpectExitZero();
        assertTrue(output().contains("SIGTERM received"), output());
        assertFalse(Files.exists(dataDir), "data dir left behind: " + dataDir);
        try (Stream<Path> left = Files.list(childTmp)) {
            List<Path> leftovers = left.toList();
            assertTrue(leftovers.isEmpty(), "left in the child's temp dir: " + leftovers + "\n" + output());
        }
    }

    /**
     * A kept data directory: the second start finds the broker's cluster id, the eta set by the first,
     * the same untrained bundle, and runs at once (the first left its consumer groups when it stopped).
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void keptDataDirIsReusedByTheNextStart() throws Exception {
        Path kept = tmp.resolve("kept");
        Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));
        String[] args = {"--port", "0", "--registry-port", "0", "--http-port", "-1", "--untrained", "--device", "cpu",
                "--data-dir", kept.toString()};

        startDev(childTmp, concat(args, "--eta", "0.6"));
        assertEquals(kept, awaitBanner(Duration.ofSeconds(90)));
        String model = bannerValue("model");
        assertTrue(model.contains("eta 0.60 (--eta)"), model);
        stopAndExpectExitZero();
        assertTrue(Files.isDirectory(kept.resolve("kafka").resolve("logs")), "kept: " + kept);

        startDev(childTmp, args);
        assertEquals(kept, awaitBanner(Duration.ofSeconds(60)));
        String again = bannerValue("model");
        assertTrue(again.contains("eta 0.60 (control topic)"), again);
        assertEquals(model.substring(0, model.indexOf(", eta")), again.substring(0, again.indexOf(", eta")), "the same bundle");
        Matcher ready = Pattern.compile("ready in ([0-9.]+) s").matcher(output());
        assertTrue(ready.find() && Double.parseDouble(ready.group(1)) < 30, "a restart that waits out old group members:\n"
                + output());
        stopAndExpectExitZero();
        assertTrue(output().contains("data kept in " + kept), output());
        assertTrue(Files.isDirectory(kept.resolve("kafka").resolve("logs")), "kept: " + kept);
    }

    private void startDev(Path childTmp, String... args) throws IOException {
        log = Files.createTempFile(tmp, "lfvit-dev-", ".log");
        String[] command = concat(new String[] {Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx1g", "-Dai.djl.offline=true",
                "-Djava.io.tmpdir=" + childTmp, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "io.lfvit.app.Lfvit", "dev"},
                args);
        // to a file, not a pipe: Process.destroy() closes the pipes, and the lines printed while stopping would be lost
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void stopAndExpectExitZero() throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(40, TimeUnit.SECONDS), "still running 40 s after SIGTERM\n" + output());
        assertEquals(0, process.exitValue(), output());
    }

    /** The value of a banner row, e.g. "model". */
    private String bannerValue(String label) {
        Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(label) + "\\s+(.+)$").matcher(output());
        return m.find() ? m.group(1) : fail("no '" + label + "' row in\n" + output());
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Waits for the ready line and the banner's data line; returns the data directory it names. */
    private Path awaitBanner(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = output();
            if (text.contains(DevRun.READY)) {
                for (String line : text.substring(text.indexOf(DevRun.READY)).split("\n")) {
                    Matcher m = DATA_LINE.matcher(line);
                    if (m.find()) {
                        return Path.of(m.group(1));
                    }
                }
            }
            if (!process.isAlive()) {
                fail("lfvit dev exited with " + process.exitValue() + " before its banner:\n" + text);
            }
            Thread.sleep(100);
        }
        return fail("no banner after " + timeout + ":\n" + output());
    }

    private static GenericRecord imageEvent(Schema schema, String eventId, String source) throws IOException {
        BufferedImage image = new BufferedImage(96, 80, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 20; y < 60; y++) {
            for (int x = 30; x < 70; x++) {
                image.getRaster().setSample(x, y, 0, 220);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        GenericRecord e = new GenericData.Record(schema);
        e.put("event_id", eventId);
        e.put("source_id", source);
        e.put("frame_seq", 0L);
        e.put("capture_time", System.currentTimeMillis());
        e.put("encoding", new GenericData.EnumSymbol(schema.getField("encoding").schema(), "PNG"));
        e.put("width", 96);
        e.put("height", 80);
        e.put("channels", 1);
        e.put("image", ByteBuffer.wrap(png.toByteArray()));
        e.put("label", null);
        return e;
    }

    /** Confluent's wire format: magic byte 0, the schema id (4 bytes, big-endian), the Avro binary record. */
    private static byte[] wireFormat(int schemaId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private GenericRecord awaitAnswer(String bootstrap, String registry, String eventId, Duration timeout) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "outside-reader-" + eventId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("classifications", "images-dlq"));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    GenericRecord record = decode(registry, r.value());
                    if (r.topic().equals("images-dlq")) {
                        fail("dead-lettered: " + record);
                    }
                    if (record.get("event_id").toString().equals(eventId)) {
                        assertEquals(record.get("source_id").toString(), new String(r.key(), StandardCharsets.UTF_8));
                        return record;
                    }
                }
            }
        }
        return fail("no classification of " + eventId + " after " + timeout + "\n" + output());
    }

    private GenericRecord decode(String registry, byte[] value) throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        assertEquals(0, buffer.get(), "magic byte");
        int id = buffer.getInt();
        HttpResponse<String> schema = get(registry + "/schemas/ids/" + id);
        assertEquals(200, schema.statusCode(), schema.body());
        JsonNode body = JSON.readTree(schema.body());
        Schema writer = new Schema.Parser().parse(body.get("schema").asText());
        return new GenericDatumReader<GenericRecord>(writer).read(null,
                DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }
}
