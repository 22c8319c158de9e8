package dev.lifeboat.kit.security;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

import dev.lifeboat.kit.api.ProblemMappers;

/**
 * 401 and 403 as problem+json. The detail never says why a token was refused (expired, wrong
 * key, wrong issuer): that is for the identity provider's logs, not for whoever holds the token.
 */
public class SecurityProblems {
    @ServerExceptionMapper
    public Response noIdentity(UnauthorizedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response missingRole(ForbiddenException e) {
        return ProblemMappers.build(403, "the caller's roles do not allow this call"
                + (e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage()), null);
    }

    private static Response unauthorized() {
        return Response.fromResponse(ProblemMappers.build(401,
                        "a valid bearer token is required (Authorization: Bearer <token>)", null))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
