package dev.lifeboat.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Validation of everything that becomes part of an object key, and the snapshot id scheme.
 * Nothing user-supplied reaches an object key without passing through here.
 */
public final class SnapshotIds {
    /** DNS-1123 label: lowercase alphanumerics and '-', starting and ending alphanumeric, at most 63. */
    private static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SNAPSHOT_ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SnapshotIds() {}

    public static boolean isValidClusterId(String id) {
        return id != null && CLUSTER_ID.matcher(id).matches();
    }

    public static boolean isValidSnapshotId(String id) {
        return id != null && SNAPSHOT_ID.matcher(id).matches();
    }

    public static String requireClusterId(String id) {
        if (!isValidClusterId(id)) {
            throw new IllegalArgumentException("invalid cluster id: must be a DNS-1123 label "
                    + "(lowercase letters, digits and '-', at most 63 characters)");
        }
        return id;
    }

    public static String requireSnapshotId(String id) {
        if (!isValidSnapshotId(id)) {
            throw new IllegalArgumentException("invalid snapshot id: expected yyyyMMddTHHmmssZ-xxxxxxxx");
        }
        return id;
    }

    /** A new id that sorts by time: {@code 20261121T044649Z-3f9a1c2e}. */
    public static String newSnapshotId(Instant at) {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        return STAMP.format(at) + "-" + HexFormat.of().formatHex(suffix);
    }

    /**
     * The leading part of the ids of snapshots taken at {@code at} ({@code 20261121T044649Z}): every id
     * of a snapshot taken at or after {@code at} sorts after it, so a listing can start there.
     */
    public static String timePrefix(Instant at) {
        return STAMP.format(at);
    }

    /**
     * The same id every time for the same time and {@code discriminator} (a scheduled fire of a
     * cluster, say): its suffix is the start of the discriminator's SHA-256, so any replica that
     * takes that fire names it the same way.
     */
    public static String derivedSnapshotId(Instant at, String discriminator) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(discriminator.getBytes(StandardCharsets.UTF_8));
            return timePrefix(at) + "-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The time encoded in a snapshot id (second precision). */
    public static Instant timeOf(String snapshotId) {
        requireSnapshotId(snapshotId);
        return Instant.from(STAMP.parse(snapshotId.substring(0, 16)));
    }
}
