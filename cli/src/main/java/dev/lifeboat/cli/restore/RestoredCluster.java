package dev.lifeboat.cli.restore;

import dev.lifeboat.cli.Failure;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The new cluster a restore bootstraps, from {@code --initial-cluster} and {@code --initial-cluster-token},
 * with the member and cluster ids etcd 3.4 derives from them: a member's id is the first 8 bytes
 * (big-endian) of sha1(its sorted peer URLs, then the token); the cluster id the same of sha1(every
 * member id, ascending, 8 bytes big-endian each).
 */
public final class RestoredCluster {
    private final List<Member> members;
    private final long clusterId;

    /** One member: name, sorted peer URLs, id. */
    public record Member(String name, List<String> peerUrls, long id) {
        public String hexId() {
            return String.format("%016x", id);
        }
    }

    private RestoredCluster(List<Member> members, long clusterId) {
        this.members = members;
        this.clusterId = clusterId;
    }

    /**
     * @param initialCluster {@code name=url,name=url,...}; a name may appear more than once for several URLs
     */
    public static RestoredCluster of(String initialCluster, String token) {
        Map<String, TreeSet<String>> urls = new LinkedHashMap<>();
        for (String part : initialCluster.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw Failure.USAGE.because("--initial-cluster entry '" + part + "' is not name=url");
            }
            urls.computeIfAbsent(part.substring(0, eq).trim(), n -> new TreeSet<>())
                    .add(checkedUrl(part.substring(eq + 1).trim()));
        }
        TreeSet<String> seen = new TreeSet<>();
        List<Member> members = new ArrayList<>();
        for (var e : urls.entrySet()) {
            for (String u : e.getValue()) {
                if (!seen.add(u)) {
                    throw Failure.USAGE.because("--initial-cluster names peer URL " + u + " twice");
                }
            }
            List<String> sorted = List.copyOf(e.getValue());
            StringBuilder b = new StringBuilder();
            sorted.forEach(b::append);
            b.append(token);
            long id = first8(sha1(b.toString().getBytes(StandardCharsets.UTF_8)));
            if (id == 0) {
                throw Failure.USAGE.because("member " + e.getKey() + " would get the reserved id 0");
            }
            members.add(new Member(e.getKey(), sorted, id));
        }
        members.sort(Comparator.comparing(Member::id, Long::compareUnsigned));
        for (int i = 1; i < members.size(); i++) {
            if (members.get(i).id() == members.get(i - 1).id()) {
                throw Failure.USAGE.because("members " + members.get(i - 1).name() + " and " + members.get(i).name()
                        + " would get the same id");
            }
        }
        ByteBuffer ids = ByteBuffer.allocate(8 * members.size());
        members.forEach(m -> ids.putLong(m.id()));
        return new RestoredCluster(List.copyOf(members), first8(sha1(ids.array())));
    }

    /** Members in ascending id order, as etcd lists them. */
    public List<Member> members() {
        return members;
    }

    public long clusterId() {
        return clusterId;
    }

    public Member member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() ->
                Failure.USAGE.because("--name " + name + " is not in --initial-cluster (has: "
                        + String.join(", ", members.stream().map(Member::name).sorted().toList()) + ")"));
    }

    /** etcd's own checks: http, https, unix or unixs, host:port, no path. */
    private static String checkedUrl(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme();
            if (scheme == null || !List.of("http", "https", "unix", "unixs").contains(scheme)) {
                throw Failure.USAGE.because("peer URL " + url + ": scheme must be http, https, unix or unixs");
            }
            if (u.getHost() == null || u.getPort() < 0) {
                throw Failure.USAGE.because("peer URL " + url + " does not have the form scheme://host:port");
            }
            if (u.getRawPath() != null && !u.getRawPath().isEmpty()) {
                throw Failure.USAGE.because("peer URL " + url + " must not contain a path");
            }
            return url;
        } catch (URISyntaxException e) {
            throw Failure.USAGE.because("peer URL " + url + " is not a URL");
        }
    }

    private static long first8(byte[] hash) {
        return ByteBuffer.wrap(hash, 0, 8).getLong();
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
