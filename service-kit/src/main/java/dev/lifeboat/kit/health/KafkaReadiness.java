package dev.lifeboat.kit.health;

import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import dev.lifeboat.kit.messaging.KafkaClientConfig;

/**
 * Readiness of Kafka ({@code kafka}): {@code reachable} or {@code unreachable}, and nothing else.
 * It replaces Quarkus' own Kafka check, which lists the brokers' host:port and the error text to
 * anonymous callers; why Kafka does not answer is logged instead. It asks with the kit's client
 * configuration, so TLS and SASL settings apply here as to every other client.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(KafkaReadiness.class);
    private static final int TIMEOUT_MS = 3_000;

    private final KafkaClientConfig kafka;
    private final String clientId;
    private Admin admin;

    public KafkaReadiness(KafkaClientConfig kafka,
                          @ConfigProperty(name = "quarkus.application.name", defaultValue = "lifeboat") String application) {
        this.kafka = kafka;
        this.clientId = application + "-readiness";
    }

    @Override
    public HealthCheckResponse call() {
        boolean reachable;
        try {
            admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
                    .clusterId().get(TIMEOUT_MS + 1_000L, TimeUnit.MILLISECONDS);
            reachable = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reachable = false;
        } catch (Exception e) {
            LOG.warnf("readiness: Kafka did not answer: %s", e.getMessage());
            reachable = false;
        }
        return HealthCheckResponse.named("kafka").withData("state", reachable ? "reachable" : "unreachable")
                .status(reachable).build();
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafka.admin(clientId));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
