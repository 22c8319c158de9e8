package dev.lifeboat.kit.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code lifeboat.etcd.*}: which etcd endpoints and which TLS material a registration may use.
 * A registration names files in its own cluster's credentials directory only, so it can neither
 * probe the host's file system nor borrow another cluster's client key.
 */
@ConfigMapping(prefix = "lifeboat.etcd")
public interface EtcdAccessConfig {
    /**
     * Where the clusters' TLS material is mounted, one directory per cluster id, in the shape of a
     * mounted Kubernetes Secret: {@code <dir>/<clusterId>/ca.crt}, {@code tls.crt}, {@code tls.key}.
     */
    @WithDefault("/etc/lifeboat/etcd")
    Path credentialsDir();

    /**
     * Hosts a registration may point at: CIDRs for IP literals ({@code 10.0.0.0/8}), exact host
     * names or {@code *.suffix} patterns. Unset: any host (with a warning at start).
     */
    Optional<List<String>> allowedEndpoints();

    /** Allow {@code http://} etcd endpoints (no TLS). Env {@code LIFEBOAT_ETCD_ALLOW_PLAINTEXT}. */
    @WithDefault("false")
    boolean allowPlaintext();

    /** At most this many endpoints per cluster (each costs a client per snapshot). */
    @WithDefault("16")
    int maxEndpoints();
}
