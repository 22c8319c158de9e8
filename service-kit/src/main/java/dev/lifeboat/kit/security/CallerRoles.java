package dev.lifeboat.kit.security;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Gives every verified caller the roles its role includes ({@link LifeboatRoles#implied}), so an
 * endpoint names only the least role it needs. In {@link SecurityMode#INSECURE} an anonymous
 * caller becomes {@value #INSECURE_CALLER} with every role.
 */
@ApplicationScoped
public class CallerRoles implements SecurityIdentityAugmentor {
    /** Who an anonymous caller is in insecure mode, as audit records name it. */
    public static final String INSECURE_CALLER = "anonymous (insecure mode)";

    private final SecurityStartup security;

    public CallerRoles(SecurityStartup security) {
        this.security = security;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            if (security.mode() != SecurityMode.INSECURE) {
                return Uni.createFrom().item(identity);
            }
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(INSECURE_CALLER))
                    .addRoles(LifeboatRoles.implied(LifeboatRoles.ADMIN))
                    .setAnonymous(false)
                    .build());
        }
        Set<String> roles = new HashSet<>();
        identity.getRoles().forEach(r -> roles.addAll(LifeboatRoles.implied(r)));
        if (identity.getRoles().containsAll(roles)) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(roles).build());
    }
}
