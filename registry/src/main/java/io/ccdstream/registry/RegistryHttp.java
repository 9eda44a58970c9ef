package io.ccdstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@link SchemaRegistryClient}: JSON in and out, basic auth, error bodies turned
 * into {@link SchemaRegistryException}, fail-over across the configured URLs, and retries with
 * bounded exponential backoff when no registry answers or one answers with a 5xx status.
 */
final class RegistryHttp {

    /** Confluent's media type, sent as Content-Type and Accept. */
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);

    private record Endpoint(URI base, String authorization) {}

    private final ObjectMapper json = new ObjectMapper();
    private final List<Endpoint> endpoints;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final AtomicInteger preferred = new AtomicInteger();
    private final int maxRetries;
    private final long retryWaitMs;
    private final long retryMaxWaitMs;

    RegistryHttp(SchemaRegistryClientConfig config) {
        this.endpoints = endpoints(config);
        this.http = HttpClient.newBuilder()
                .connectTimeout(
                        Duration.ofMillis(config.getInt(SchemaRegistryClientConfig.HTTP_CONNECT_TIMEOUT_MS_CONFIG)))
                .build();
        this.requestTimeout = Duration.ofMillis(config.getInt(SchemaRegistryClientConfig.HTTP_READ_TIMEOUT_MS_CONFIG));
        this.maxRetries = config.getInt(SchemaRegistryClientConfig.MAX_RETRIES_CONFIG);
        this.retryWaitMs = config.getInt(SchemaRegistryClientConfig.RETRIES_WAIT_MS_CONFIG);
        this.retryMaxWaitMs =
                Math.max(retryWaitMs, config.getInt(SchemaRegistryClientConfig.RETRIES_MAX_WAIT_MS_CONFIG));
    }

    /** @return the path segment for a subject, percent-encoded */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    ObjectMapper json() {
        return json;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    private JsonNode send(String method, String path, Object body) {
        String payload = body == null ? null : toJson(body);
        for (int attempt = 0; ; attempt++) {
            try {
                return sendOnce(method, path, payload);
            } catch (SchemaRegistryException e) {
                if (!retriable(e) || attempt >= maxRetries) {
                    throw e;
                }
                long wait = backoff(attempt);
                LOG.warn(
                        "Schema registry {} {} failed (attempt {} of {}), retrying in {} ms: {}",
                        method,
                        path,
                        attempt + 1,
                        maxRetries + 1,
                        wait,
                        e.getMessage());
                pause(wait, method, path, e);
            }
        }
    }

    /** @return whether a failure may pass: no registry answered, or one failed with a 5xx status */
    static boolean retriable(SchemaRegistryException e) {
        return e.status() == SchemaRegistryException.NO_RESPONSE || e.status() >= 500;
    }

    /** @return the wait before retry number {@code attempt + 1}: doubling from the base, capped */
    long backoff(int attempt) {
        long wait = retryWaitMs << Math.min(attempt, 20);
        return Math.min(wait, retryMaxWaitMs);
    }

    private void pause(long millis, String method, String path, SchemaRegistryException cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            SchemaRegistryException interrupted = new SchemaRegistryException(
                    SchemaRegistryException.NO_RESPONSE,
                    SchemaRegistryException.NO_RESPONSE,
                    "Interrupted while retrying " + method + " " + path,
                    e);
            interrupted.addSuppressed(cause);
            throw interrupted;
        }
    }

    private JsonNode sendOnce(String method, String path, String payload) {
        int first = preferred.get();
        IOException last = null;
        for (int i = 0; i < endpoints.size(); i++) {
            int index = (first + i) % endpoints.size();
            try {
                JsonNode result = sendTo(endpoints.get(index), method, path, payload);
                preferred.set(index);
                return result;
            } catch (IOException e) {
                LOG.debug(
                        "Schema registry {} unreachable for {} {}: {}",
                        endpoints.get(index).base(),
                        method,
                        path,
                        e.toString());
                last = e;
            }
        }
        throw new SchemaRegistryException(
                SchemaRegistryException.NO_RESPONSE,
                SchemaRegistryException.NO_RESPONSE,
                "No schema registry reachable at "
                        + endpoints.stream().map(Endpoint::base).toList() + " for " + method + " " + path + ": " + last,
                last);
    }

    private JsonNode sendTo(Endpoint endpoint, String method, String path, String payload) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(endpoint.base(), path))
                .timeout(requestTimeout)
                .header("Accept", CONTENT_TYPE)
                .method(
                        method,
                        payload == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        if (payload != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (endpoint.authorization() != null) {
            request.header("Authorization", endpoint.authorization());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(
                    SchemaRegistryException.NO_RESPONSE,
                    SchemaRegistryException.NO_RESPONSE,
                    "Interrupted during " + method + " " + path,
                    e);
        }
        return parse(method, path, response);
    }

    private JsonNode parse(String method, String path, HttpResponse<String> response) {
        String body = response.body();
        if (response.statusCode() / 100 == 2) {
            return body == null || body.isBlank() ? MissingNode.getInstance() : readTree(body, method, path);
        }
        throw errorFrom(response.statusCode(), body, method + " " + path);
    }

    private SchemaRegistryException errorFrom(int status, String body, String request) {
        try {
            JsonNode error = json.readTree(body);
            if (error != null && error.has("error_code")) {
                return new SchemaRegistryException(
                        status,
                        error.path("error_code").asInt(status),
                        error.path("message").asText(""));
            }
        } catch (IOException e) {
            // Not Confluent's JSON error body (a proxy's HTML page, say): report the raw text below.
        }
        return new SchemaRegistryException(status, status, "HTTP " + status + " for " + request + ": " + body);
    }

    private JsonNode readTree(String body, String method, String path) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new SchemaRegistryException(200, 0, "Unreadable JSON from " + method + " " + path + ": " + body, e);
        }
    }

    private String toJson(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write request body " + body, e);
        }
    }

    private static URI resolve(URI base, String path) {
        String prefix = base.toString().replaceAll("/+$", "");
        return URI.create(prefix + path);
    }

    private static List<Endpoint> endpoints(SchemaRegistryClientConfig config) {
        List<Endpoint> result = new ArrayList<>();
        for (URI url : config.urls()) {
            String userInfo = switch (config.credentialsSource()) {
                case SchemaRegistryClientConfig.USER_INFO_SOURCE -> config.userInfo();
                case SchemaRegistryClientConfig.URL_SOURCE ->
                    url.getRawUserInfo() == null
                            ? null
                            : URLDecoder.decode(url.getRawUserInfo(), StandardCharsets.UTF_8);
                default -> null;
            };
            result.add(new Endpoint(withoutUserInfo(url), basicAuth(userInfo)));
        }
        return List.copyOf(result);
    }

    private static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return URI.create(url.getScheme() + "://" + url.getHost() + port + path);
    }

    private static String basicAuth(String userInfo) {
        if (userInfo == null) {
            return null;
        }
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
