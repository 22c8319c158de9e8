package dev.lifeboat.snapshot.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.JsonMappingException;

import dev.lifeboat.events.EventPublisher;
import dev.lifeboat.snapshot.registry.FieldError;
import dev.lifeboat.store.StoreException;

/** Every API error as {@code application/problem+json} (RFC 9457), never a stack trace. */
public class ProblemMappers {
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ApiProblem p) {
        return build(p.status(), p.title(), p.getMessage(), p.errors());
    }

    @ServerExceptionMapper
    public Response mismatchedBody(MismatchedInputException e) {
        return unreadableBody(e);
    }

    @ServerExceptionMapper
    public Response malformedBody(JsonParseException e) {
        return unreadableBody(e);
    }

    /** Anything else the HTTP layer refuses (unknown path, wrong method or media type, unreadable body). */
    @ServerExceptionMapper
    public Response httpError(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return unreadableBody(json);
        }
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Error" : type.getReasonPhrase();
        String detail = status == 400 ? "the request body is not a valid JSON cluster specification" : e.getMessage();
        return build(status, title, detail, status == 400 ? List.of(new FieldError("body", detail)) : null);
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
        return build(400, "Bad Request", field + ": " + message, List.of(new FieldError(field, message)));
    }

    @ServerExceptionMapper
    public Response storeUnavailable(StoreException e) {
        LOG.warn(e.getMessage());
        return build(503, "Service Unavailable", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response kafkaUnavailable(EventPublisher.EventPublishException e) {
        LOG.warn(e.getMessage());
        return build(503, "Service Unavailable", "the registry on Kafka could not be written: " + e.getMessage(), null);
    }

    static Response build(int status, String title, String detail, List<FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", new ArrayList<>(errors));
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
