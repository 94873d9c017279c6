package io.lfvit.schemas.registry;

import io.lfvit.schemas.ConfigValues;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigException;

/**
 * How to reach a Schema Registry. {@link #fromMap} reads the keys Confluent's serializers use, so
 * the same client properties work against a real Confluent registry and the embedded one.
 *
 * @param urls one or more base URLs; a refused connection moves on to the next one
 * @param basicUserInfo {@code user:password} for HTTP basic auth
 * @param bearerToken token for {@code Authorization: Bearer}
 * @param sslContext trust (and client keys) for https URLs; null for the JDK default
 * @param maxRetries extra attempts after a connection failure, timeout or 5xx (never after a 4xx)
 * @param retryBackoff wait before the first retry, doubled for each further one
 * @param maxRetryBackoff cap on that wait
 * @param retryDeadline how long a call that meets only connection failures, timeouts and 5xx keeps being retried
 *     (with that backoff) after its {@code maxRetries} are spent; zero for none. A registry that is down for less
 *     than this is waited for, not reported: a consumer does not dead-letter good records during a short outage
 */
public record RegistryClientConfig(
        List<URI> urls,
        Optional<String> basicUserInfo,
        Optional<String> bearerToken,
        SSLContext sslContext,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxRetries,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        Duration retryDeadline) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRIES_WAIT_MS = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
    /** Ours (Confluent's client has no such key): see {@link #retryDeadline()}. */
    public static final String RETRY_DEADLINE_MS = "registry.retry.deadline.ms";

    public RegistryClientConfig {
        if (urls.isEmpty()) {
            throw new ConfigException(URL + " must name at least one registry URL");
        }
        urls = List.copyOf(urls);
        Objects.requireNonNull(basicUserInfo);
        Objects.requireNonNull(bearerToken);
        if (basicUserInfo.isPresent() && bearerToken.isPresent()) {
            throw new ConfigException("Configure basic auth or a bearer token, not both");
        }
        if (maxRetries < 0) {
            throw new ConfigException(MAX_RETRIES, maxRetries, "must not be negative");
        }
        if (retryDeadline.isNegative()) {
            throw new ConfigException(RETRY_DEADLINE_MS, retryDeadline.toMillis(), "must not be negative");
        }
    }

    public static Builder builder(String... urls) {
        return new Builder(Arrays.stream(urls).map(URI::create).toList());
    }

    /**
     * Reads Confluent's client keys: {@code schema.registry.url} (comma-separated),
     * {@code basic.auth.user.info} (with {@code basic.auth.credentials.source} USER_INFO, the
     * default here, or URL for {@code https://user:pass@host}), {@code bearer.auth.token},
     * {@code schema.registry.ssl.*}, {@code http.connect.timeout.ms}, {@code http.read.timeout.ms},
     * {@code max.retries}, {@code retries.wait.ms}, {@code retries.max.wait.ms}; and ours, {@code registry.retry.deadline.ms}.
     */
    public static RegistryClientConfig fromMap(Map<String, ?> configs) {
        ConfigValues values = new ConfigValues(configs);
        String urlList = values.string(URL).orElseThrow(() -> new ConfigException("Missing " + URL));
        List<URI> urls = new ArrayList<>();
        Optional<String> urlUserInfo = Optional.empty();
        for (String text : urlList.split(",")) {
            URI uri = URI.create(text.trim());
            if (uri.getUserInfo() != null) {
                urlUserInfo = Optional.of(uri.getUserInfo());
                uri = withoutUserInfo(uri);
            }
            urls.add(uri);
        }
        Builder builder = new Builder(urls);
        String basicSource = values.string(BASIC_AUTH_CREDENTIALS_SOURCE).orElse("USER_INFO");
        switch (basicSource) {
            case "USER_INFO" -> values.string(BASIC_AUTH_USER_INFO).ifPresent(builder::basicAuth);
            case "URL" -> urlUserInfo.ifPresent(builder::basicAuth);
            default -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, basicSource, "supported: USER_INFO, URL");
        }
        String bearerSource = values.string(BEARER_AUTH_CREDENTIALS_SOURCE).orElse("STATIC_TOKEN");
        if (!bearerSource.equals("STATIC_TOKEN")) {
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE, bearerSource, "supported: STATIC_TOKEN");
        }
        values.string(BEARER_AUTH_TOKEN).ifPresent(builder::bearerToken);
        builder.sslContext(RegistrySsl.fromConfig(values));
        builder.connectTimeout(Duration.ofMillis(values.number(CONNECT_TIMEOUT_MS, builder.connectTimeout.toMillis())));
        builder.requestTimeout(Duration.ofMillis(values.number(READ_TIMEOUT_MS, builder.requestTimeout.toMillis())));
        builder.retries(
                (int) values.number(MAX_RETRIES, builder.maxRetries),
                Duration.ofMillis(values.number(RETRIES_WAIT_MS, builder.retryBackoff.toMillis())),
                Duration.ofMillis(values.number(RETRIES_MAX_WAIT_MS, builder.maxRetryBackoff.toMillis())));
        builder.retryDeadline(Duration.ofMillis(values.number(RETRY_DEADLINE_MS, 0)));
        return builder.build();
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new ConfigException(URL, uri, e.getMessage());
        }
    }

    /** Starts from: no auth, JDK TLS defaults, 5 s connect, 30 s per request, 3 retries from 100 ms up to 2 s, no deadline. */
    public static final class Builder {
        private final List<URI> urls;
        private Optional<String> basicUserInfo = Optional.empty();
        private Optional<String> bearerToken = Optional.empty();
        private SSLContext sslContext;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxRetries = 3;
        private Duration retryBackoff = Duration.ofMillis(100);
        private Duration maxRetryBackoff = Duration.ofSeconds(2);
        private Duration retryDeadline = Duration.ZERO;

        private Builder(List<URI> urls) {
            this.urls = urls;
        }

        /** @param userInfo {@code user:password} */
        public Builder basicAuth(String userInfo) {
            this.basicUserInfo = Optional.of(userInfo);
            return this;
        }

        public Builder bearerToken(String token) {
            this.bearerToken = Optional.of(token);
            return this;
        }

        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public Builder retries(int maxRetries, Duration backoff, Duration maxBackoff) {
            this.maxRetries = maxRetries;
            this.retryBackoff = backoff;
            this.maxRetryBackoff = maxBackoff;
            return this;
        }

        /** Keeps retrying an unavailable registry for this long after the retries are spent (zero: no). */
        public Builder retryDeadline(Duration deadline) {
            this.retryDeadline = deadline;
            return this;
        }

        public RegistryClientConfig build() {
            return new RegistryClientConfig(urls, basicUserInfo, bearerToken, sslContext, connectTimeout,
                    requestTimeout, maxRetries, retryBackoff, maxRetryBackoff, retryDeadline);
        }
    }
}
