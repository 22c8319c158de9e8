package dev.lifeboat.kit.registry;

import java.util.List;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Stage;
import dev.lifeboat.kit.api.FieldError;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.store.SnapshotIds;

/**
 * Reports a registry record that was not applied: a log line and an {@link
 * FailureReason#INVALID_REGISTRATION} failure event naming the fields (never their values, which
 * may be anything a writer put there). A record whose key is no cluster id is only logged: no
 * event can name it.
 */
public class RejectedRegistrations {
    private static final Logger LOG = Logger.getLogger(RejectedRegistrations.class);

    private final EventPublisher publisher;

    /** @param publisher where the failure events go; null to log only */
    public RejectedRegistrations(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** A spec that breaks the rules: the log gets the rules' messages, the event the fields' names. */
    public void reject(String key, long offset, List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
        LOG.errorf("registry record for %s at offset %d not applied: %s", name(key), offset, detail);
        publish(key, offset, "invalid " + errors.stream().map(FieldError::field).distinct()
                .collect(Collectors.joining(", ")));
    }

    /** A record that is no registration at all (unreadable, no spec, another cluster's). */
    public void reject(String key, long offset, String why) {
        LOG.errorf("registry record for %s at offset %d not applied: %s", name(key), offset, why);
        publish(key, offset, why);
    }

    private static String name(String key) {
        return SnapshotIds.isValidClusterId(key) ? key : "an invalid cluster id";
    }

    private void publish(String key, long offset, String why) {
        if (publisher == null || !SnapshotIds.isValidClusterId(key)) {
            return;
        }
        try {
            publisher.publish(BackupFailed.of(key, null, Stage.REGISTRY, FailureReason.INVALID_REGISTRATION,
                    "registry record at offset " + offset + " not applied: " + why, null, 1));
        } catch (RuntimeException e) {
            LOG.errorf("could not report the rejected registry record for %s: %s", key, e.getMessage());
        }
    }
}
