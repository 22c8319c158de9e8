package dev.lifeboat.kit.registry;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.lifeboat.store.Regions;

/**
 * The one {@link ClusterSpecValidator} of a service, built from the same settings in every
 * service ({@code lifeboat.etcd.*}, the configured secondaries, {@code
 * lifeboat.snapshot.max-schedule-interval}): the REST API checks registrations with it and the
 * cluster registry checks every record it reads with it.
 */
@ApplicationScoped
public class RegistrationRules {
    private final ClusterSpecValidator validator;

    public RegistrationRules(EtcdAccess access, Regions regions,
                             @ConfigProperty(name = "lifeboat.snapshot.max-schedule-interval", defaultValue = "P7D")
                             Duration maxScheduleInterval) {
        this.validator = new ClusterSpecValidator(Set.copyOf(regions.secondaries()), access.policy(),
                maxScheduleInterval, Clock.systemUTC());
    }

    public ClusterSpecValidator validator() {
        return validator;
    }
}
