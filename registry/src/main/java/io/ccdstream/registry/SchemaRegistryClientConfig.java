package io.ccdstream.registry;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of a {@link SchemaRegistryClient}, under the names Confluent's clients use, so that
 * one property file serves both.
 */
public class SchemaRegistryClientConfig extends AbstractConfig {

    /** Comma-separated registry base URLs; the next one is tried when one cannot be reached. */
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";

    private static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated list of schema registry base"
            + " URLs, e.g. http://localhost:8081. Requests go to one of them; when it cannot be reached"
            + " (connection refused, connect timeout) the next is tried.";

    /** Where basic-auth credentials come from: {@code USER_INFO}, {@code URL}, or empty for none. */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";

    private static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "Source of HTTP basic-auth credentials:"
            + " USER_INFO takes them from basic.auth.user.info, URL from the user-info part of each URL"
            + " (http://user:pass@host:port). Empty sends no Authorization header.";

    /** Credentials {@code user:password} for {@code basic.auth.credentials.source=USER_INFO}. */
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";

    private static final String BASIC_AUTH_USER_INFO_DOC =
            "Basic-auth credentials as user:password," + " used when basic.auth.credentials.source is USER_INFO.";

    /** Connect timeout of registry requests, in milliseconds. */
    public static final String HTTP_CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";

    private static final String HTTP_CONNECT_TIMEOUT_MS_DOC = "Timeout for opening a connection to one"
            + " registry URL, in milliseconds; after it the next URL is tried.";

    /** Timeout of a whole registry request, in milliseconds. */
    public static final String HTTP_READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";

    private static final String HTTP_READ_TIMEOUT_MS_DOC =
            "Timeout for a registry request once connected," + " in milliseconds.";

    /** How many times a request is retried when no registry answers or one answers 5xx. */
    public static final String MAX_RETRIES_CONFIG = "max.retries";

    private static final String MAX_RETRIES_DOC = "How many times a request is retried after a 5xx answer or"
            + " when no registry URL can be reached; 0 disables retries. 4xx answers are never retried.";

    /** Wait before the first retry; it doubles with each further retry. */
    public static final String RETRIES_WAIT_MS_CONFIG = "retries.wait.ms";

    private static final String RETRIES_WAIT_MS_DOC =
            "Wait before the first retry, in milliseconds; each further retry waits twice as long.";

    /** Upper bound of the wait between retries. */
    public static final String RETRIES_MAX_WAIT_MS_CONFIG = "retries.max.wait.ms";

    private static final String RETRIES_MAX_WAIT_MS_DOC = "Longest wait between two retries, in milliseconds.";

    /** Value of {@code basic.auth.credentials.source} that reads {@code basic.auth.user.info}. */
    public static final String USER_INFO_SOURCE = "USER_INFO";
    /** Value of {@code basic.auth.credentials.source} that reads the URLs' user-info. */
    public static final String URL_SOURCE = "URL";

    private static final ConfigDef CONFIG = clientConfigDef();

    /**
     * @param props the settings; {@code schema.registry.url} is required
     * @throws ConfigException when a setting is missing or invalid
     */
    public SchemaRegistryClientConfig(Map<?, ?> props) {
        this(CONFIG, props);
    }

    /**
     * For subclasses that extend {@link #clientConfigDef()} with their own keys.
     *
     * @param definition the definition, including the client keys
     * @param props      the settings
     */
    protected SchemaRegistryClientConfig(ConfigDef definition, Map<?, ?> props) {
        super(definition, props, false);
        validateCredentials();
    }

    /** @return a new definition holding the client keys, for subclasses to extend */
    public static ConfigDef clientConfigDef() {
        return new ConfigDef()
                .define(
                        SCHEMA_REGISTRY_URL_CONFIG,
                        Type.LIST,
                        ConfigDef.NO_DEFAULT_VALUE,
                        ConfigDef.ValidList.anyNonDuplicateValues(false, false),
                        Importance.HIGH,
                        SCHEMA_REGISTRY_URL_DOC)
                .define(
                        BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG,
                        Type.STRING,
                        "",
                        ConfigDef.ValidString.in("", USER_INFO_SOURCE, URL_SOURCE),
                        Importance.MEDIUM,
                        BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
                .define(BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, BASIC_AUTH_USER_INFO_DOC)
                .define(
                        HTTP_CONNECT_TIMEOUT_MS_CONFIG,
                        Type.INT,
                        10_000,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        HTTP_CONNECT_TIMEOUT_MS_DOC)
                .define(
                        HTTP_READ_TIMEOUT_MS_CONFIG,
                        Type.INT,
                        30_000,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        HTTP_READ_TIMEOUT_MS_DOC)
                .define(
                        MAX_RETRIES_CONFIG,
                        Type.INT,
                        3,
                        ConfigDef.Range.between(0, 20),
                        Importance.LOW,
                        MAX_RETRIES_DOC)
                .define(
                        RETRIES_WAIT_MS_CONFIG,
                        Type.INT,
                        200,
                        ConfigDef.Range.atLeast(0),
                        Importance.LOW,
                        RETRIES_WAIT_MS_DOC)
                .define(
                        RETRIES_MAX_WAIT_MS_CONFIG,
                        Type.INT,
                        5_000,
                        ConfigDef.Range.atLeast(0),
                        Importance.LOW,
                        RETRIES_MAX_WAIT_MS_DOC);
    }

    /** @return the registry base URLs, in the order they are tried, each parsed and checked */
    public List<URI> urls() {
        return getList(SCHEMA_REGISTRY_URL_CONFIG).stream()
                .map(SchemaRegistryClientConfig::parseUrl)
                .toList();
    }

    /** @return the credentials source: empty, {@link #USER_INFO_SOURCE} or {@link #URL_SOURCE} */
    public String credentialsSource() {
        return getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG);
    }

    /** @return the configured {@code user:password}, or null */
    public String userInfo() {
        Password password = getPassword(BASIC_AUTH_USER_INFO_CONFIG);
        return password == null ? null : password.value();
    }

    private void validateCredentials() {
        List<URI> urls = urls();
        if (URL_SOURCE.equals(credentialsSource()) && urls.stream().anyMatch(url -> url.getRawUserInfo() == null)) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG + " must carry user:password@ in every URL when "
                    + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=" + URL_SOURCE);
        }
        if (USER_INFO_SOURCE.equals(credentialsSource())) {
            String userInfo = userInfo();
            if (userInfo == null || !userInfo.contains(":")) {
                throw new ConfigException(BASIC_AUTH_USER_INFO_CONFIG + " must be set to user:password when "
                        + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=" + USER_INFO_SOURCE);
            }
        }
    }

    private static URI parseUrl(String url) {
        try {
            URI uri = URI.create(url.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("expected http(s)://host:port");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL_CONFIG, url, "not a registry URL: " + e.getMessage());
        }
    }
}
