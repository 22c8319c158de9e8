package dev.lifeboat.kit.security;

import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * How a service authenticates its callers, decided once at start from configuration: with a
 * verification key, or (only when asked for explicitly) not at all.
 */
public enum SecurityMode {
    /** Bearer tokens verified against the configured key or JWKS. */
    TOKENS,
    /** {@code lifeboat.security.insecure=true}: no verification, every caller is an admin. */
    INSECURE;

    /** The keys any of which names the token verification key. */
    static final String[] KEY_PROPERTIES = {"mp.jwt.verify.publickey.location", "mp.jwt.verify.publickey",
            "smallrye.jwt.verify.key.location", "quarkus.oidc.auth-server-url"};

    /**
     * The mode, or the reason the service must not start: no key and no explicit opt-out.
     *
     * @throws IllegalStateException when no verification key is configured and insecure is off
     */
    public static SecurityMode of(Config config, boolean insecure) {
        if (insecure) {
            return INSECURE;
        }
        for (String key : KEY_PROPERTIES) {
            Optional<String> value = config.getOptionalValue(key, String.class);
            if (value.isPresent() && !value.get().isBlank()) {
                return TOKENS;
            }
        }
        throw new IllegalStateException("no token verification key is configured: set "
                + "mp.jwt.verify.publickey.location (env MP_JWT_VERIFY_PUBLICKEY_LOCATION) to the identity "
                + "provider's public key or JWKS URL, or run without authentication with "
                + "lifeboat.security.insecure=true (env LIFEBOAT_SECURITY_INSECURE=true)");
    }
}
