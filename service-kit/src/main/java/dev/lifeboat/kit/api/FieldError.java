package dev.lifeboat.kit.api;

/** One invalid field of a request, named as in the request (e.g. {@code endpoints[1]}, {@code clusterId}). */
public record FieldError(String field, String message) {}
