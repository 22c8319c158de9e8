package dev.lifeboat.kit.security;

import java.util.Set;

/**
 * The three roles of the REST APIs, read from a token's {@code groups} claim. Each role includes
 * the ones below it: an admin may do what an operator may, an operator what a viewer may.
 */
public final class LifeboatRoles {
    /** Reads registrations, catalogs, verification reports and retention plans. */
    public static final String VIEWER = "lifeboat-viewer";
    /** Registers and updates clusters, requests on-demand snapshots. */
    public static final String OPERATOR = "lifeboat-operator";
    /** Deregisters clusters, disables schedules, shrinks retention. */
    public static final String ADMIN = "lifeboat-admin";

    /**
     * Reads the metrics ({@code /q/metrics}) and nothing else: the role of a Prometheus scraper's
     * token. Viewers (and the roles above them) may read the metrics too.
     */
    public static final String METRICS = "lifeboat-metrics";

    private LifeboatRoles() {}

    /** The roles a holder of {@code role} has, itself included; empty for a role Lifeboat does not know. */
    public static Set<String> implied(String role) {
        return switch (role) {
            case ADMIN -> Set.of(ADMIN, OPERATOR, VIEWER);
            case OPERATOR -> Set.of(OPERATOR, VIEWER);
            case VIEWER -> Set.of(VIEWER);
            case METRICS -> Set.of(METRICS);
            default -> Set.of();
        };
    }
}
