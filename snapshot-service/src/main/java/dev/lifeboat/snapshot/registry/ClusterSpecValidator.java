package dev.lifeboat.snapshot.registry;

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

import dev.lifeboat.common.cron.CronSchedule;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.store.SnapshotIds;

/** Checks a cluster registration before anything of it is stored or used. */
public final class ClusterSpecValidator {
    private final Set<String> replicationTargets;
    private final Duration maxScheduleInterval;
    private final Clock clock;

    /** @param replicationTargets the regions a cluster may name in {@code replicateTo} (the secondaries) */
    public ClusterSpecValidator(Set<String> replicationTargets) {
        this(replicationTargets, CronSchedule.DEFAULT_MAX_INTERVAL, Clock.systemUTC());
    }

    /**
     * @param maxScheduleInterval the longest gap a schedule may leave between two snapshots
     * @param clock from when a schedule's gaps are judged
     */
    public ClusterSpecValidator(Set<String> replicationTargets, Duration maxScheduleInterval, Clock clock) {
        this.replicationTargets = Set.copyOf(replicationTargets);
        this.maxScheduleInterval = maxScheduleInterval;
        this.clock = clock;
    }

    public List<FieldError> validate(String clusterId, ClusterSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        if (!SnapshotIds.isValidClusterId(clusterId)) {
            errors.add(new FieldError("clusterId", "must be a DNS-1123 label: lowercase letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most 63 characters"));
        }
        if (spec == null) {
            errors.add(new FieldError("body", "a JSON cluster specification is required"));
            return errors;
        }
        endpoints(spec, errors);
        tls(spec.tls(), errors);
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
                if (!replicationTargets.contains(region)) {
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

    private static void endpoints(ClusterSpec spec, List<FieldError> errors) {
        if (spec.endpoints() == null || spec.endpoints().isEmpty()) {
            errors.add(new FieldError("endpoints", "at least one etcd client URL is required, e.g. https://10.0.0.1:2379"));
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

    private static String endpointProblem(String endpoint) {
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
            return null;
        } catch (URISyntaxException e) {
            return "'" + endpoint + "' is not a URL: " + e.getReason();
        }
    }

    private static void tls(ClusterSpec.TlsFiles tls, List<FieldError> errors) {
        if (tls == null) {
            return;
        }
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
            errors.add(new FieldError(tls.certFile() == null ? "tls.certFile" : "tls.keyFile",
                    "certFile and keyFile go together (client-certificate authentication)"));
        }
        file("tls.caFile", tls.caFile(), errors);
        file("tls.certFile", tls.certFile(), errors);
        file("tls.keyFile", tls.keyFile(), errors);
    }

    private static void file(String field, String path, List<FieldError> errors) {
        if (path == null) {
            return;
        }
        Path p;
        try {
            p = Path.of(path);
        } catch (RuntimeException e) {
            errors.add(new FieldError(field, "not a file path"));
            return;
        }
        if (!p.isAbsolute()) {
            errors.add(new FieldError(field, "must be an absolute path"));
        } else if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            errors.add(new FieldError(field, "no readable file at " + path + " on the snapshot-service"));
        }
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
        labels.forEach((k, v) -> {
            if (k == null || k.isBlank() || k.length() > 63) {
                errors.add(new FieldError("labels", "label keys must be 1 to 63 characters"));
            } else if (v != null && v.length() > 253) {
                errors.add(new FieldError("labels." + k, "label values must be at most 253 characters"));
            }
        });
    }
}
