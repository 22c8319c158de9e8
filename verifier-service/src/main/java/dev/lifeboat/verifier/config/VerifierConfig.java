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

    Drill drill();

    Store store();

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

    interface Store {
        /** How often a verification is tried while the object store is unreachable. */
        @WithDefault("3")
        int attempts();

        /** Pause before the second attempt; doubles after each further one. */
        @WithDefault("PT5S")
        Duration retryDelay();
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
