package dev.lifeboat.kit.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.lifeboat.common.cron.CronSchedule;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.api.FieldError;
import dev.lifeboat.kit.api.PathIds;
import dev.lifeboat.store.SnapshotIds;

/**
 * Checks a cluster registration before anything of it is stored or used: on the REST API
 * ({@link #validate}) and on every record read from the registry topic ({@link #validateStored}),
 * with the same rules and the same deployment {@link Policy}. Errors name the field and never say
 * anything about the file system beyond the cluster's own credentials directory.
 */
public final class ClusterSpecValidator {
    /** At most this many labels per cluster. */
    public static final int MAX_LABELS = 64;
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final String OWN_FILE = "must name a file of this cluster's credentials (<credentials-dir>/"
            + "<clusterId>/), e.g. ca.crt, tls.crt, tls.key";

    /**
     * What a deployment allows registrations to use.
     *
     * @param credentialsDir  one directory per cluster id holds its TLS material
     * @param endpoints       the hosts a registration may name
     * @param allowPlaintext  whether {@code http://} endpoints are accepted
     * @param maxEndpoints    at most this many endpoints per cluster
     */
    public record Policy(Path credentialsDir, EndpointPolicy endpoints, boolean allowPlaintext, int maxEndpoints) {}

    private final Set<String> replicationTargets;
    private final Policy policy;
    private final Duration maxScheduleInterval;
    private final Clock clock;

    /** @param replicationTargets the regions a cluster may name in {@code replicateTo} (the secondaries) */
    public ClusterSpecValidator(Set<String> replicationTargets, Policy policy) {
        this(replicationTargets, policy, CronSchedule.DEFAULT_MAX_INTERVAL, Clock.systemUTC());
    }

    /**
     * @param maxScheduleInterval the longest gap a schedule may leave between two snapshots
     * @param clock from when a schedule's gaps are judged
     */
    public ClusterSpecValidator(Set<String> replicationTargets, Policy policy, Duration maxScheduleInterval,
                                Clock clock) {
        this.replicationTargets = Set.copyOf(replicationTargets);
        this.policy = policy;
        this.maxScheduleInterval = maxScheduleInterval;
        this.clock = clock;
    }

    /** The spec with every TLS file as the absolute path inside the cluster's credentials directory. */
    public ClusterSpec resolved(String clusterId, ClusterSpec spec) {
        ClusterSpec.TlsFiles tls = spec.tls();
        if (tls == null) {
            return spec;
        }
        ClusterSpec.TlsFiles files = new ClusterSpec.TlsFiles(resolve(clusterId, tls.caFile()),
                resolve(clusterId, tls.certFile()), resolve(clusterId, tls.keyFile()));
        return new ClusterSpec(spec.endpoints(), files, spec.schedule(), spec.retention(), spec.replicateTo(),
                spec.rpoMinutes(), spec.labels());
    }

    private String resolve(String clusterId, String value) {
        if (value == null) {
            return null;
        }
        String name = ownFileName(clusterId, value);
        return name == null ? value : ownDir(clusterId).resolve(name).toString();
    }

    /** Every rule, including that the named TLS files exist: what a registration over REST must pass. */
    public List<FieldError> validate(String clusterId, ClusterSpec spec) {
        return validate(clusterId, spec, true);
    }

    /**
     * Every rule but two, for a record read back from the registry topic. The TLS files must still
     * be named inside the cluster's own credentials directory, but whether they exist is checked
     * only when a registration is written (and when the files are opened): only the
     * snapshot-service has that directory mounted, and a rotated Secret may be briefly absent.
     * {@code replicateTo} must name regions, but whether this service has them configured is not
     * checked: a region removed from one service's configuration must not drop the cluster there;
     * the replicator answers an unknown region with an {@code UNKNOWN_REGION} failure per snapshot.
     */
    public List<FieldError> validateStored(String clusterId, ClusterSpec spec) {
        return validate(clusterId, spec, false);
    }

    private List<FieldError> validate(String clusterId, ClusterSpec spec, boolean atWrite) {
        List<FieldError> errors = new ArrayList<>();
        if (!SnapshotIds.isValidClusterId(clusterId)) {
            errors.add(new FieldError("clusterId", PathIds.CLUSTER_ID_RULE));
        }
        if (spec == null) {
            errors.add(new FieldError("body", "a JSON cluster specification is required"));
            return errors;
        }
        endpoints(spec, errors);
        if (SnapshotIds.isValidClusterId(clusterId)) {
            tls(clusterId, spec.tls(), atWrite, errors);
        }
        if (spec.schedule() != null) {
            try {
                CronSchedule.parse(spec.schedule()).requireFiresWithin(maxScheduleInterval, clock.instant());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("schedule", e.getMessage()));
            }
        }
        retention(spec.retention(), errors);
        if (spec.replicateTo() != null) {
            for (int i = 0; i < spec.replicateTo().size(); i++) {
                String region = spec.replicateTo().get(i);
                if (!atWrite && (region == null || region.isBlank())) {
                    errors.add(new FieldError("replicateTo[" + i + "]", "must name a region"));
                } else if (atWrite && !replicationTargets.contains(region)) {
                    errors.add(new FieldError("replicateTo[" + i + "]", "unknown secondary region '" + region
                            + "' (configured: " + replicationTargets + ")"));
                }
            }
        }
        if (spec.rpoMinutes() != null && spec.rpoMinutes() <= 0) {
            errors.add(new FieldError("rpoMinutes", "must be a positive number of minutes"));
        }
        labels(spec.labels(), errors);
        return errors;
    }

    private void endpoints(ClusterSpec spec, List<FieldError> errors) {
        if (spec.endpoints() == null || spec.endpoints().isEmpty()) {
            errors.add(new FieldError("endpoints", "at least one etcd client URL is required, e.g. https://10.0.0.1:2379"));
            return;
        }
        if (spec.endpoints().size() > policy.maxEndpoints()) {
            errors.add(new FieldError("endpoints", "at most " + policy.maxEndpoints() + " endpoints per cluster"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < spec.endpoints().size(); i++) {
            String field = "endpoints[" + i + "]";
            String endpoint = spec.endpoints().get(i);
            String problem = endpointProblem(endpoint);
            if (problem != null) {
                errors.add(new FieldError(field, problem));
            } else if (!seen.add(endpoint)) {
                errors.add(new FieldError(field, "duplicate endpoint " + endpoint));
            }
        }
    }

    private String endpointProblem(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return "must be an etcd client URL such as https://10.0.0.1:2379";
        }
        try {
            URI uri = new URI(endpoint);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                return "'" + endpoint + "' must start with http:// or https://";
            }
            if (uri.getHost() == null || uri.getPort() < 1) {
                return "'" + endpoint + "' must name a host and a port, e.g. https://10.0.0.1:2379";
            }
            if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath()))
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return "'" + endpoint + "' must be scheme://host:port only";
            }
            if ("http".equals(uri.getScheme()) && !policy.allowPlaintext()) {
                return "plaintext etcd (http://) is not allowed here: use https:// (or set lifeboat.etcd.allow-plaintext=true)";
            }
            if (!policy.endpoints().allows(uri.getHost())) {
                return "host " + uri.getHost() + " is not among the allowed etcd endpoints (lifeboat.etcd.allowed-endpoints)";
            }
            return null;
        } catch (URISyntaxException e) {
            return "'" + endpoint + "' is not a URL: " + e.getReason();
        }
    }

    private void tls(String clusterId, ClusterSpec.TlsFiles tls, boolean atWrite, List<FieldError> errors) {
        if (tls == null) {
            return;
        }
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
            errors.add(new FieldError(tls.certFile() == null ? "tls.certFile" : "tls.keyFile",
                    "certFile and keyFile go together (client-certificate authentication)"));
        }
        file(clusterId, "tls.caFile", tls.caFile(), atWrite, errors);
        file(clusterId, "tls.certFile", tls.certFile(), atWrite, errors);
        file(clusterId, "tls.keyFile", tls.keyFile(), atWrite, errors);
    }

    private void file(String clusterId, String field, String value, boolean mustExist, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        String name = ownFileName(clusterId, value);
        if (name == null) {
            errors.add(new FieldError(field, OWN_FILE));
            return;
        }
        Path file = ownDir(clusterId).resolve(name);
        if (mustExist && (!Files.isRegularFile(file) || !Files.isReadable(file))) {
            errors.add(new FieldError(field, "this cluster's credentials hold no readable file " + name));
        }
    }

    /**
     * The file name {@code value} refers to inside the cluster's own directory: a bare name, or
     * the absolute path {@code <credentials-dir>/<clusterId>/<name>}; null for anything else.
     */
    private String ownFileName(String clusterId, String value) {
        if (value.contains("..") || value.indexOf('\0') >= 0) {
            return null;
        }
        String name = value;
        if (value.contains("/")) {
            Path p;
            try {
                p = Path.of(value);
            } catch (RuntimeException e) {
                return null;
            }
            if (!p.isAbsolute() || p.getParent() == null || !p.getParent().equals(ownDir(clusterId))) {
                return null;
            }
            name = p.getFileName().toString();
        }
        return FILE_NAME.matcher(name).matches() ? name : null;
    }

    private Path ownDir(String clusterId) {
        return policy.credentialsDir().toAbsolutePath().normalize().resolve(clusterId);
    }

    private static void retention(ClusterSpec.RetentionSpec r, List<FieldError> errors) {
        if (r == null) {
            return;
        }
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        counts.put("keepLast", r.keepLast());
        counts.put("hourly", r.hourly());
        counts.put("daily", r.daily());
        counts.put("weekly", r.weekly());
        counts.put("monthly", r.monthly());
        counts.put("yearly", r.yearly());
        counts.put("maxAgeDays", r.maxAgeDays());
        counts.forEach((name, value) -> {
            if (value != null && value < 0) {
                errors.add(new FieldError("retention." + name, "must not be negative"));
            }
        });
    }

    private static void labels(Map<String, String> labels, List<FieldError> errors) {
        if (labels == null) {
            return;
        }
        if (labels.size() > MAX_LABELS) {
            errors.add(new FieldError("labels", "at most " + MAX_LABELS + " labels per cluster"));
            return;
        }
        labels.forEach((k, v) -> {
            if (k == null || k.isBlank() || k.length() > 63) {
                errors.add(new FieldError("labels", "label keys must be 1 to 63 characters"));
            } else if (v != null && v.length() > 253) {
                errors.add(new FieldError("labels." + k, "label values must be at most 253 characters"));
            }
        });
    }
}
