package dev.lifeboat.kit.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.lifeboat.kit.messaging.EventPublishException;
import dev.lifeboat.store.StoreException;

/**
 * Every error of every service's REST API as {@code application/problem+json} (RFC 9457), never
 * a stack trace: {@link Problem}s, unreadable JSON (naming the field by its JSON path), the
 * framework's own refusals (unknown path, wrong method, unsupported media type), an unavailable
 * object store or Kafka (503), and anything unexpected (500, logged here).
 */
public class ProblemMappers {
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(Problem p) {
        return build(p.status(), p.getMessage(), p.errors());
    }

    @ServerExceptionMapper
    public Response mismatchedBody(MismatchedInputException e) {
        return unreadableBody(e);
    }

    @ServerExceptionMapper
    public Response malformedBody(JsonParseException e) {
        return unreadableBody(e);
    }

    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e) {
        String field = "body";
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    b.append('[').append(r.getIndex()).append(']');
                }
            }
            field = b.toString();
        }
        String message = e.getOriginalMessage() == null ? "unreadable JSON" : e.getOriginalMessage();
        message = message.lines().findFirst().orElse(message);
        return build(400, field + ": " + message, List.of(new FieldError(field, message)));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return build(404, "no resource at " + uri.getPath(), null);
    }

    @ServerExceptionMapper
    public Response methodNotAllowed(NotAllowedException e, UriInfo uri) {
        String allowed = String.join(", ", e.getResponse().getAllowedMethods());
        Response r = build(405, "method not allowed on " + uri.getPath()
                + (allowed.isEmpty() ? "" : "; allowed: " + allowed), null);
        return Response.fromResponse(r).allow(e.getResponse().getAllowedMethods()).build();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return build(415, "unsupported media type; send application/json", null);
    }

    /** Anything else the HTTP layer refuses (406, an unreadable body, …), with its own status. */
    @ServerExceptionMapper
    public Response httpError(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableBody(json);
        }
        int status = e.getResponse().getStatus();
        if (status == 400) {
            return build(400, "the request body is not valid JSON", List.of(new FieldError("body",
                    "not valid JSON")));
        }
        return build(status, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response storeUnavailable(StoreException e) {
        LOG.warn(e.getMessage());
        // the message names the store's endpoint: for the log, not for the caller
        return build(503, "the object store is unavailable; the service log has the details", null);
    }

    @ServerExceptionMapper
    public Response kafkaUnavailable(EventPublishException e) {
        LOG.warn(e.getMessage());
        return build(503, "Kafka did not acknowledge the change; the service log has the details", null);
    }

    /** A bug: logged with its stack trace here, answered without it. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error answering a request", e);
        return build(500, "internal error; the service log has the details", null);
    }

    /** The problem+json response; usable by other mappers (e.g. authentication) so every error looks alike. */
    public static Response build(int status, String detail, List<FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", Problem.title(status));
        body.put("status", status);
        body.put("detail", detail);
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", new ArrayList<>(errors));
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
