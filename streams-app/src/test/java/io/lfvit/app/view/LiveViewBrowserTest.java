package io.lfvit.app.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lfvit.app.config.AppConfig;
import io.lfvit.app.produce.Canvases;
import io.lfvit.app.produce.Frame;
import io.lfvit.app.produce.ImageProducer;
import io.lfvit.app.stack.LocalStack;
import io.lfvit.schemas.avro.ControlUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live view as a person meets it: the stack {@code lfvit dev} runs (a real broker, the registry, the shipped
 * trained LF-ViT), canvases streaming in from two sources, and the page opened in Debian's headless chromium.
 * The page must show answers arriving, frames with their overlay and a dead letter; moving eta on the page must
 * put a ControlUpdate on the control topic, and the page must show when it took effect and the early-exit rate
 * changing (eta 0.8 sends most canvases on to the focus stage, eta 0.2 lets nearly all exit).
 *
 * <p>{@code -Dlfvit.view.screenshots=DIR} also copies the two screenshots (before and after the change) to DIR
 * (the README's come from {@code -Dlfvit.view.screenshots=../docs/images}).
 */
class LiveViewBrowserTest {
    static final Path SHIPPED = Path.of("..", "models", "lfvit");
    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final double RATE = 24; // images/s, well under what the stack sustains here, so answers come steadily
    static final int AT_EACH_ETA = 40; // answers counted at each eta before comparing the exit rates
    static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void showsAnswersAndMovesEta() throws Exception {
        assumeTrue(Files.exists(SHIPPED.resolve("weights.params")), "no shipped bundle in " + SHIPPED.toAbsolutePath());
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser test needs Debian's chromium and chromium-driver: ./lfvit test installs them when run as root,"
                        + " else: sudo apt-get install -y chromium chromium-driver");
        List<Frame> frames = new ArrayList<>();
        Canvases.load(FASHION_MNIST, 400).forEachRemaining(frames::add);
        AppConfig base = AppConfig.defaults().withAll(Map.of(AppConfig.DEVICE, "cpu", AppConfig.TOPIC_PARTITIONS, 2));

        try (LocalStack stack = LocalStack.start(new LocalStack.Options(0, 0, 0, null, SHIPPED, false, 0.8, base, true))) {
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread producer = new Thread(() -> produce(stack, frames, producing), "test-producer");
            producer.start();
            sendGarbage(stack);
            WebDriver browser = chromium();
            try {
                browser.get("http://127.0.0.1:" + stack.httpPort() + "/");
                WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(250));
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the page redraws every second

                // answers arrive, frames are drawn, focus frames carry their NGCA window and split cells
                wait.until(d -> number(d.findElement(By.id("stat-answers")).getAttribute("data-value")) >= 20);
                wait.until(d -> !d.findElements(By.cssSelector(".frame[data-stage='focus'] canvas")).isEmpty());
                assertEquals("live", browser.findElement(By.id("conn")).getText());
                // the orange NGCA window is drawn on a focus frame (the thumbnails are grey: no orange of their own)
                wait.until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                        "for (const c of document.querySelectorAll(\".frame[data-stage='focus'] canvas\")) {"
                                + " if (!c.width) continue;"
                                + " const g = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                                + " for (let i = 0; i < g.length; i += 4) {"
                                + "  if (g[i] > 200 && g[i+1] > 100 && g[i+1] < 180 && g[i+2] < 80) return true; } }"
                                + "return false;"));
                wait.until(d -> !d.findElements(By.cssSelector("#dead-letters tbody tr")).isEmpty());
                String deadLetter = browser.findElement(By.cssSelector("#dead-letters tbody tr")).getText();
                assertTrue(deadLetter.contains("BAD_WIRE_FORMAT") || deadLetter.contains("UNKNOWN_SCHEMA"), deadLetter);

                dashboardMetricsExist(stack);

                Map<String, String> before = wait.until(d -> row(d, "0.8", AT_EACH_ETA));
                double exitBefore = number(before.get("data-exit-rate"));
                screenshot(browser, "live-view.png");

                // move eta on the page
                WebElement value = browser.findElement(By.id("eta-value"));
                value.clear();
                value.sendKeys("0.2");
                browser.findElement(By.id("eta-set")).click();
                wait.until(d -> d.findElement(By.id("eta-result")).getText().startsWith("published eta 0.2"));

                ControlUpdate global = stack.control().show().get("global");
                assertEquals(0.2, global.getEta(), 1e-9, "the ControlUpdate on the control topic");
                assertEquals(LiveView.UPDATED_BY, global.getUpdatedBy());

                Map<String, String> after = wait.until(d -> row(d, "0.2", AT_EACH_ETA));
                assertFalse(after.get("data-effective-at").isEmpty(), "the page shows when eta 0.2 took effect");
                double exitAfter = number(after.get("data-exit-rate"));
                assertTrue(exitAfter > 0.8 && exitAfter > exitBefore + 0.3,
                        "early exits " + exitBefore + " at eta 0.8, " + exitAfter + " at eta 0.2");
                wait.until(d -> number(d.findElement(By.id("stat-exit-rate")).getAttribute("data-value")) > 0.8);
                screenshot(browser, "live-view-eta-0.2.png");
            } catch (RuntimeException | AssertionError e) {
                diagnose(browser, stack);
                throw e;
            } finally {
                producing.set(false);
                browser.quit();
                producer.join(10_000);
            }
        }
    }

    /** Every lfvit metric the Grafana dashboard (docker/grafana/dashboards/lfvit.json) queries is one the apps export. */
    private static void dashboardMetricsExist(LocalStack stack) throws Exception {
        var dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Path.of("..", "docker", "grafana", "dashboards", "lfvit.json").toFile());
        java.util.Set<String> queried = new java.util.TreeSet<>();
        for (var panel : dashboard.get("panels")) {
            for (var target : panel.get("targets")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("lfvit_[a-z_]+")
                        .matcher(target.get("expr").asText());
                while (m.find()) {
                    queried.add(m.group());
                }
            }
        }
        assertTrue(queried.size() >= 8, "the dashboard's metrics: " + queried);
        var client = java.net.http.HttpClient.newHttpClient();
        String scrape = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + stack.httpPort() + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        java.util.Set<String> exported = new java.util.TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("lfvit_")) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
        java.util.Set<String> missing = new java.util.TreeSet<>(queried);
        missing.removeAll(exported);
        assertTrue(missing.isEmpty(), "the dashboard queries metrics the apps do not export: " + missing + "; exported: " + exported);
    }

    /** The current global change to {@code eta} once at least {@code answers} answers were given at it, else null. */
    private static Map<String, String> row(WebDriver d, String eta, int answers) {
        for (WebElement tr : d.findElements(By.cssSelector("#changes tbody tr.current"))) {
            Map<String, String> a = new java.util.HashMap<>();
            for (String name : List.of("data-scope", "data-eta", "data-answers", "data-exit-rate", "data-effective-at")) {
                String v = tr.getAttribute(name);
                a.put(name, v == null ? "" : v);
            }
            if ("global".equals(a.get("data-scope")) && Math.abs(number(a.get("data-eta")) - Double.parseDouble(eta)) < 1e-9
                    && number(a.get("data-answers")) >= answers) {
                return a;
            }
        }
        return null;
    }

    private static double number(String s) {
        return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1900");
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void produce(LocalStack stack, List<Frame> frames, AtomicBoolean producing) {
        try (ImageProducer producer = new ImageProducer(stack.config(), stack.topics().images())) {
            long start = System.nanoTime();
            for (int n = 0; producing.get(); n++) {
                long due = start + (long) (n * 1e9 / RATE);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                producer.send(ImageProducer.event("cam-" + (n % 2), n / 2, frames.get(n % frames.size())), null);
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record that is not Avro at all: the localizer dead-letters it, the page lists it. */
    private static void sendGarbage(LocalStack stack) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", stack.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(stack.topics().images().name(), "cam-0".getBytes(StandardCharsets.UTF_8),
                    "not an image event".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** What the page showed and logged, and what the server streamed, when the test fails. */
    private static void diagnose(WebDriver browser, LocalStack stack) {
        try {
            System.err.println("--- page text:\n" + ((org.openqa.selenium.JavascriptExecutor) browser)
                    .executeScript("return document.body.innerText"));
            browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER)
                    .forEach(l -> System.err.println("--- console: " + l));
            Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, Files.createDirectories(Path.of("target", "live-view")).resolve("failed.png"),
                    StandardCopyOption.REPLACE_EXISTING);
            var client = java.net.http.HttpClient.newHttpClient();
            var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + stack.httpPort() + "/view/events")).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            byte[] first = new byte[3000];
            int n = response.body().read(first);
            System.err.println("--- /view/events: " + new String(first, 0, Math.max(0, n), StandardCharsets.UTF_8));
            response.body().close();
        } catch (Exception | AssertionError e) {
            System.err.println("--- diagnosis failed: " + e);
        }
    }

    private static void screenshot(WebDriver browser, String name) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Files.createDirectories(Path.of("target", "live-view"));
        Files.copy(shot, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        String dir = System.getProperty("lfvit.view.screenshots");
        if (dir != null && !dir.isBlank()) {
            Files.copy(shot, Files.createDirectories(Path.of(dir)).resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
