package dev.lifeboat.kit.security;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * 401 and 403 as problem+json. The detail never says why a token was refused (expired, wrong
 * key, wrong issuer): that is for the identity provider's logs, not for whoever holds the token.
 */
public class SecurityProblems {
    static final String PROBLEM_JSON = "application/problem+json";

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
        return problem(403, "Forbidden", "the caller's roles do not allow this call"
                + (e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage()));
    }

    private static Response unauthorized() {
        return Response.fromResponse(problem(401, "Unauthorized",
                        "a valid bearer token is required (Authorization: Bearer <token>)"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    static Response problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
