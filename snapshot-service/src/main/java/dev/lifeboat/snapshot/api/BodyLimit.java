package dev.lifeboat.snapshot.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.lifeboat.kit.api.ProblemMappers;

/**
 * A registration body larger than {@value #MAX_BODY_BYTES} bytes is a 413 problem before it is
 * read: a legitimate cluster spec (16 endpoints, 64 labels) is a few KiB, and a registry record
 * must stay far below Kafka's record size limit. Bodies without a length are capped by
 * {@code quarkus.http.limits.max-body-size}.
 */
public class BodyLimit {
    public static final int MAX_BODY_BYTES = 64 * 1024;

    @ServerRequestFilter(preMatching = true)
    public Response limit(ContainerRequestContext request) {
        if (request.getLength() > MAX_BODY_BYTES) {
            return ProblemMappers.build(413, "the request body is " + request.getLength()
                    + " bytes; at most " + MAX_BODY_BYTES + " are accepted", null);
        }
        return null;
    }
}
