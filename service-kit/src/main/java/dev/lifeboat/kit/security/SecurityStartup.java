package dev.lifeboat.kit.security;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Decides the {@link SecurityMode} at start: a service with no token verification key does not
 * start, unless insecure mode was asked for, which it then says loudly.
 */
@ApplicationScoped
public class SecurityStartup {
    private static final Logger LOG = Logger.getLogger(SecurityStartup.class);

    private final SecurityMode mode;

    public SecurityStartup(SecurityConfig config) {
        this.mode = SecurityMode.of(ConfigProvider.getConfig(), config.insecure());
    }

    // first of all start-up work: a service that must not start does not wait for Kafka first
    void onStart(@Observes @Priority(0) StartupEvent event) {
        if (mode == SecurityMode.INSECURE) {
            String bar = "!".repeat(78);
            LOG.warn("\n" + bar + "\n!!! INSECURE MODE: lifeboat.security.insecure=true. Every REST call is accepted"
                    + "\n!!! without a token, as an admin: anyone who reaches this service can deregister"
                    + "\n!!! clusters and shrink retention. Never run like this outside a local stack.\n" + bar);
        } else {
            LOG.info("REST API requires bearer tokens (roles lifeboat-viewer, lifeboat-operator, lifeboat-admin)");
        }
    }

    public SecurityMode mode() {
        return mode;
    }
}
