package dev.lifeboat.verifier.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * {@code lifeboat.verifier.*}: the binaries and limits of restore drills and the content
 * expectations, globally and per cluster.
 */
@ConfigMapping(prefix = "lifeboat.verifier")
public interface VerifierConfig {
    /** The {@code etcd} executable for scratch instances: a name on PATH or a path. */
    @WithDefault("etcd")
    String etcdBinary();

    /** The {@code etcdctl} executable that runs {@code snapshot restore}. */
    @WithDefault("etcdctl")
    String etcdctlBinary();

    /** Where downloaded snapshots and drill directories live while a verification runs; the system temp dir if unset. */
    Optional<Path> workDir();

    /** How many live keys the drill reads back and compares value by value. */
    @WithDefault("64")
    int sampleSize();

    /**
     * Most bytes downloads and restored copies may take under the work dir at once (e.g. the
     * emptyDir size limit, which kubelet enforces by eviction, not by a full disk); unset: the
     * free space of the work dir's file system.
     */
    Optional<Long> scratchLimitBytes();

    /** This replica's name in verification claims; unset: host name plus a random suffix. */
    Optional<String> instanceId();

    Drill drill();

    Store store();

    Claim claim();

    CatchUp catchUp();

    /** Expectations for every cluster, unless the cluster overrides them. */
    Expectations expectations();

    /** {@code lifeboat.verifier.clusters."<clusterId>".*}: one cluster's expectations, overriding the global ones. */
    Map<String, Expectations> clusters();

    interface Drill {
        /** The longest a restore drill may take; longer is a RESTORE_TIMEOUT failure. */
        @WithDefault("PT10M")
        Duration timeout();

        /** How many drills may run at the same time (each is a scratch etcd process). */
        @WithDefault("1")
        int maxConcurrent();
    }

    /**
     * While the object store is unreachable a verification waits and tries again (the adapter's
     * own short retries of each call sit inside one try); after {@code outage-budget} it gives up
     * with a STORE_UNAVAILABLE warning and no recorded verdict, so the catch-up sweep takes the
     * snapshot again later.
     */
    interface Store {
        /** The longest one verification waits for the store to come back. */
        @WithDefault("PT10M")
        Duration outageBudget();

        /** Pause before the second try; doubles after each further one, up to {@code max-retry-delay}. */
        @WithDefault("PT2S")
        Duration retryDelay();

        @WithDefault("PT30S")
        Duration maxRetryDelay();
    }

    /** {@code verification-claim.json}: the replica verifying a snapshot, renewed while it works. */
    interface Claim {
        /** A claim not renewed for this long is free to take; renewed every third of it. */
        @WithDefault("PT2M")
        Duration ttl();
    }

    /** The sweep that verifies complete snapshots whose {@code snapshot.taken} never arrived. */
    interface CatchUp {
        @WithDefault("PT5M")
        Duration interval();

        /** Only snapshots whose manifest is older than this: younger ones are still being announced. */
        @WithDefault("PT10M")
        Duration grace();

        /** At most this many snapshots verified per run; the rest wait for the next run. */
        @WithDefault("4")
        int maxPerRun();
    }

    interface Expectations {
        /** At least this many live keys. */
        @WithName("min-live-keys")
        OptionalLong minLiveKeys();

        /** Keys that must be live, e.g. {@code /registry/namespaces/kube-system}. */
        @WithName("required-keys")
        Optional<List<String>> requiredKeys();

        /** At most this percentage of live keys lost since the previous verified snapshot of the cluster. */
        @WithName("max-lost-percent")
        OptionalDouble maxLostPercent();
    }
}
