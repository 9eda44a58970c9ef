package io.ccdstream.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed broker certificate for {@code localhost} and {@code 127.0.0.1}, made with the JDK's
 * {@code keytool}: a PKCS12 keystore for the broker and a PKCS12 truststore holding its certificate for clients.
 *
 * @param keystore   the broker's keystore
 * @param truststore the clients' truststore
 * @param password   the password of both
 */
public record TestCertificates(Path keystore, Path truststore, String password) {

    /** Generates keystore and truststore in {@code dir}. */
    public static TestCertificates generate(Path dir) {
        String password = "test-" + Long.toHexString(System.nanoTime());
        Path keystore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.pem");
        Path truststore = dir.resolve("truststore.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-keypass",
                password);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password,
                "-file",
                certificate.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                certificate.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                truststore.toString(),
                "-storepass",
                password);
        return new TestCertificates(keystore, truststore, password);
    }

    /** The broker's {@code ssl.*} settings of a TLS listener. */
    public Map<String, String> brokerSsl() {
        return Map.of(
                "ssl.keystore.location",
                keystore.toString(),
                "ssl.keystore.password",
                password,
                "ssl.key.password",
                password,
                "ssl.keystore.type",
                "PKCS12");
    }

    /** A client's {@code ssl.*} settings trusting the broker. */
    public Map<String, String> clientSsl() {
        return Map.of(
                "ssl.truststore.location",
                truststore.toString(),
                "ssl.truststore.password",
                password,
                "ssl.truststore.type",
                "PKCS12");
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
