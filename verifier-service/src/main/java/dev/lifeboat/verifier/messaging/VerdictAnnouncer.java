package dev.lifeboat.verifier.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.verifier.metrics.VerifierMetrics;
import dev.lifeboat.verifier.verification.Verdict;

/**
 * Publishes a verdict: {@code snapshot.verified} or {@code backup.failed}, retried until Kafka
 * acknowledges it, then counts it. The one way out of the verifier for the event path and the
 * catch-up sweep alike.
 */
@ApplicationScoped
public class VerdictAnnouncer {
    private static final Logger LOG = Logger.getLogger(VerdictAnnouncer.class);

    private final EventPublisher publisher;
    private final VerifierMetrics metrics;

    public VerdictAnnouncer(EventPublisher publisher, VerifierMetrics metrics) {
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** {@code began}: {@link System#nanoTime()} when the verification was asked for. */
    public void announce(Verdict verdict, long began) {
        if (verdict instanceof Verdict.Verified v) {
            publisher.publishUntilAcknowledged(v.report());
            metrics.verified(v.report(), v.recorded(), System.nanoTime() - began);
            LOG.infof("snapshot %s/%s verified%s", v.report().clusterId(), v.report().snapshotId(),
                    v.recorded() ? " (recorded verdict re-published)" : "");
        } else if (verdict instanceof Verdict.Failed f) {
            publisher.publishUntilAcknowledged(f.failure());
            metrics.failed(f.failure(), f.recorded(), System.nanoTime() - began);
            LOG.warnf("snapshot %s/%s failed %s: %s %s%s", f.failure().clusterId(), f.failure().snapshotId(),
                    f.failure().stage(), f.failure().reason(), f.failure().message(),
                    f.recorded() ? " (recorded verdict re-published)" : "");
        } else if (verdict instanceof Verdict.ElsewhereInProgress p) {
            metrics.inProgressElsewhere();
            LOG.infof("snapshot %s/%s is being verified by %s, which publishes the verdict; this delivery adds nothing",
                    p.clusterId(), p.snapshotId(), p.holder());
        }
    }
}
