package dev.lifeboat.kit.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/** The configured {@link ClusterSpecValidator.Policy}; says at start what it leaves open. */
@ApplicationScoped
public class EtcdAccess {
    private static final Logger LOG = Logger.getLogger(EtcdAccess.class);

    private final ClusterSpecValidator.Policy policy;

    public EtcdAccess(EtcdAccessConfig config) {
        this.policy = new ClusterSpecValidator.Policy(config.credentialsDir(),
                new EndpointPolicy(config.allowedEndpoints().orElse(null)), config.allowPlaintext(),
                config.maxEndpoints());
    }

    void onStart(@Observes StartupEvent event) {
        if (!policy.endpoints().restricts()) {
            LOG.warn("lifeboat.etcd.allowed-endpoints is not set: registrations may point at any host and port");
        }
        if (policy.allowPlaintext()) {
            LOG.warn("lifeboat.etcd.allow-plaintext=true: registrations may use http:// etcd endpoints without TLS");
        }
    }

    public ClusterSpecValidator.Policy policy() {
        return policy;
    }
}
