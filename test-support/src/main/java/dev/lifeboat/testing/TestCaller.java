package dev.lifeboat.testing;

/**
 * The ways a test calls a service's API, the role-less ones first, then the roles from least to
 * most: every endpoint is called by each, and must answer 401, 403 or its success.
 */
public enum TestCaller {
    NO_TOKEN, EXPIRED, OTHER_KEY, NO_ROLE, VIEWER, OPERATOR, ADMIN;

    private static final TokenMinter OTHER = TokenMinter.generate();

    /** The bearer token this caller sends, or null for none. */
    public String token() {
        TokenMinter minter = TokenMinter.shared();
        return switch (this) {
            case NO_TOKEN -> null;
            case EXPIRED -> minter.expiredToken("late-admin", TokenMinter.ADMIN);
            case OTHER_KEY -> OTHER.token("forger", TokenMinter.ADMIN);
            case NO_ROLE -> minter.token("stranger", "some-other-app");
            case VIEWER -> TokenMinter.viewerToken();
            case OPERATOR -> TokenMinter.operatorToken();
            case ADMIN -> TokenMinter.adminToken();
        };
    }

    /** Whether the service can tell who this is (else 401). */
    public boolean authenticated() {
        return ordinal() >= NO_ROLE.ordinal();
    }

    /**
     * What an endpoint that needs at least {@code least} answers this caller: 401 without a
     * valid token, 403 without the role, else {@code success}.
     */
    public int expectedStatus(TestCaller least, int success) {
        return !authenticated() ? 401 : atLeast(least) ? success : 403;
    }

    /** Whether this caller has at least {@code role}'s rights (else 403, when authenticated). */
    public boolean atLeast(TestCaller role) {
        return ordinal() >= role.ordinal();
    }
}
