package dev.lifeboat.verifier.claim;

import java.time.Instant;

/**
 * {@code verification-claim.json}: the verifier replica that is verifying the snapshot, and until
 * when the claim holds unless renewed.
 */
public record ClaimDocument(String owner, Instant claimedAt, Instant expiresAt) {
    public boolean liveAt(Instant now) {
        return expiresAt != null && expiresAt.isAfter(now);
    }
}
