package dev.lifeboat.kit.ownership;

import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.Topics;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.messaging.KafkaClientConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Which registered clusters this replica of the service works on: with {@code
 * lifeboat.ownership.enabled=true} the replica joins its service's owners group at start-up
 * ({@link OwnershipMember}) and every cluster has exactly one owner among the live replicas.
 * Changes are fired as {@link OwnershipChange} CDI events. Metric {@code lifeboat_owned_clusters}.
 * With ownership disabled (one replica, or a service that does not need it) this replica owns
 * every cluster.
 */
@ApplicationScoped
public class ClusterOwnership {
    private static final Logger LOG = Logger.getLogger(ClusterOwnership.class);

    private final OwnershipConfig config;
    private final KafkaClientConfig kafka;
    private final ClusterRegistry registry;
    private final String service;
    private final String replica;
    private final Event<OwnershipChange> changes;
    private final MeterRegistry meters;
    private volatile Consumer<ConsumerRecord<String, byte[]>> requests;
    private volatile OwnershipMember member;

    @Inject
    public ClusterOwnership(OwnershipConfig config, KafkaClientConfig kafka, ClusterRegistry registry,
                            @ConfigProperty(name = "quarkus.application.name") String service,
                            Event<OwnershipChange> changes, MeterRegistry meters) {
        this.config = config;
        this.kafka = kafka;
        this.registry = registry;
        this.service = service;
        this.replica = config.replica().orElseGet(ClusterOwnership::hostName);
        this.changes = changes;
        this.meters = meters;
    }

    // after the registry (priority 2), before schedules start
    void onStart(@Observes @Priority(3) StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        member = new OwnershipMember(kafka, topic(), service, replica, config.sessionTimeout(),
                config.releaseTimeout(), new Listener(), this::onRequest).start();
        Gauge.builder("lifeboat.owned.clusters", this, ClusterOwnership::ownedClusterCount)
                .description("Registered clusters this replica owns").register(meters);
        LOG.infof("replica %s joins %s on %s (session timeout %s)", replica, OwnershipMember.groupId(service),
                topic(), config.sessionTimeout());
    }

    void onStop(@Observes ShutdownEvent event) {
        OwnershipMember m = member;
        if (m != null) {
            m.close();
        }
    }

    /** The service's ownership topic ({@link Topics#ownership}), created at start-up with its partitions. */
    public String topic() {
        return Topics.ownership(service);
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** True when this replica is the one that works on this cluster now. */
    public boolean owns(String clusterId) {
        OwnershipMember m = member;
        return m == null ? !config.enabled() : m.owns(clusterId);
    }

    /** The partitions of the ownership topic this replica owns now (none with ownership disabled). */
    public OwnedPartitions ownedPartitions() {
        OwnershipMember m = member;
        return m == null ? OwnedPartitions.NONE : m.owned();
    }

    /** The registered clusters this replica owns now. */
    public Map<String, ClusterSpec> ownedClusters() {
        Map<String, ClusterSpec> all = registry.all();
        if (!config.enabled()) {
            return all;
        }
        return all.entrySet().stream().filter(e -> owns(e.getKey()))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static double ownedClusterCount(ClusterOwnership o) {
        return o.ownedClusters().size();
    }

    /** True once this replica has joined its owners group (always, with ownership disabled). */
    public boolean isReady() {
        OwnershipMember m = member;
        return m == null ? !config.enabled() : m.isReady();
    }

    /** Why this replica owns nothing for good (the member stopped), or null. */
    public String problem() {
        OwnershipMember m = member;
        return m == null ? null : m.problem();
    }

    public String replica() {
        return replica;
    }

    /**
     * Where the records sent to the owner of a cluster (keyed by cluster id, on {@link #topic()})
     * go; called on the ownership thread, so it must answer quickly.
     */
    public void onRequests(Consumer<ConsumerRecord<String, byte[]>> handler) {
        this.requests = handler;
    }

    private void onRequest(ConsumerRecord<String, byte[]> r) {
        Consumer<ConsumerRecord<String, byte[]>> h = requests;
        if (h == null) {
            LOG.warnf("request for cluster %s on %s with no handler here; dropped", r.key(), r.topic());
            return;
        }
        h.accept(r);
    }

    private final class Listener implements OwnershipListener {
        @Override
        public void gained(OwnedPartitions gained) {
            changes.fire(new OwnershipChange(gained, true, false));
        }

        @Override
        public void releasing(OwnedPartitions released, boolean lost) {
            changes.fire(new OwnershipChange(released, false, lost));
        }
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        String pid = Long.toString(ProcessHandle.current().pid());
        return host == null || host.isBlank() ? pid : host + "-" + pid;
    }
}
