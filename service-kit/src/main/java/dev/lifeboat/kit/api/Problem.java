package dev.lifeboat.kit.api;

import java.util.List;

import jakarta.ws.rs.core.Response;

/**
 * An error answered as RFC 9457 {@code application/problem+json} by {@link ProblemMappers}:
 * throw it from a resource, never build the response by hand.
 */
public class Problem extends RuntimeException {
    private final int status;
    private final List<FieldError> errors;

    public Problem(int status, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** 400 naming every invalid field. */
    public static Problem badRequest(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new Problem(400, detail, errors);
    }

    public static Problem badRequest(String field, String message) {
        return badRequest(List.of(new FieldError(field, message)));
    }

    public static Problem notFound(String detail) {
        return new Problem(404, detail, null);
    }

    public static Problem conflict(String detail) {
        return new Problem(409, detail, null);
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, detail, null);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title(status);
    }

    public List<FieldError> errors() {
        return errors;
    }

    static String title(int status) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        return type == null ? "Error" : type.getReasonPhrase();
    }
}
