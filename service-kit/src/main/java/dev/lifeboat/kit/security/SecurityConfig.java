package dev.lifeboat.kit.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code lifeboat.security.*}. Tokens are verified with the MicroProfile JWT keys
 * ({@code mp.jwt.verify.publickey.location} or {@code mp.jwt.verify.publickey}, and
 * {@code mp.jwt.verify.issuer}); a service without a key refuses to start unless
 * {@code insecure} is set.
 */
@ConfigMapping(prefix = "lifeboat.security")
public interface SecurityConfig {
    /**
     * Accept every call without a token, as if from an admin. For a local stack only; logged
     * loudly at start and shown in the readiness details. Env {@code LIFEBOAT_SECURITY_INSECURE}.
     */
    @WithDefault("false")
    boolean insecure();
}
