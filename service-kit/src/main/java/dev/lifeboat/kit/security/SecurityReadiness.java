package dev.lifeboat.kit.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Shows in the readiness details whether the API checks tokens, so insecure mode cannot go unnoticed. */
@Readiness
@ApplicationScoped
public class SecurityReadiness implements HealthCheck {
    private final SecurityStartup security;

    public SecurityReadiness(SecurityStartup security) {
        this.security = security;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("api-security")
                .withData("authentication", security.mode() == SecurityMode.INSECURE
                        ? "INSECURE: no token required, every caller is an admin" : "bearer tokens")
                .up().build();
    }
}
