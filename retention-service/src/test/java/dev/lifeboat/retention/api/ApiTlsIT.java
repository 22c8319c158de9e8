package dev.lifeboat.retention.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.common.etcd.LoopbackPorts;
import dev.lifeboat.testing.LifeboatInfrastructure;
import dev.lifeboat.testing.S3Server;
import dev.lifeboat.testing.ServiceProcess;
import dev.lifeboat.testing.TlsBundle;

/**
 * The built retention service configured as an operator would for TLS: its API served over https
 * with a certificate of a private CA, and its primary region an https S3 endpoint of that CA
 * trusted through {@code lifeboat.regions.primary.ca-file}.
 */
class ApiTlsIT {
    static Path dir;
    static TlsBundle tls;
    static S3Server s3;
    static ServiceProcess service;
    static int httpsPort;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("api-tls-it-");
        tls = TlsBundle.generate(dir.resolve("tls"));
        s3 = S3Server.startTls(dir.resolve("s3"), tls);
        httpsPort = LoopbackPorts.next();
        Map<String, String> config = new HashMap<>(LifeboatInfrastructure.config());
        config.put("lifeboat.regions.primary.endpoint", s3.endpoint());
        config.put("lifeboat.regions.primary.ca-file", tls.caCert().toString());
        config.put("quarkus.http.ssl-port", Integer.toString(httpsPort));
        config.put("quarkus.http.ssl.certificate.files", tls.serverCert().toString());
        config.put("quarkus.http.ssl.certificate.key-files", tls.serverKey().toString());
        service = ServiceProcess.start("retention-service-tls", Path.of("").toAbsolutePath(), config, dir,
                Duration.ofSeconds(120));
        // ServiceProcess waits on the plain http port. Quarkus binds http and https one after the
        // other, so the https listener can come up a moment later: wait for it before any test.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !service.isAlive() || LoopbackPorts.isListening(httpsPort));
        assertThat(service.isAlive()).as("retention service running, log: %s", service.log()).isTrue();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static HttpRequest ready() {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void readinessAnswersOverHttpsToAClientTrustingTheCa() throws Exception {
        HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(tls.caCert()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = trusting.send(ready(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"UP\"");
    }

    @Test
    void aClientWithoutTheCaRefusesTheServer() {
        HttpClient defaults = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> defaults.send(ready(), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
