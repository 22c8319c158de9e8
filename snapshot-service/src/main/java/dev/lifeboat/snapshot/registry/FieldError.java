package dev.lifeboat.snapshot.registry;

/** One invalid field of a request, named as in the JSON body (e.g. {@code endpoints[1]}). */
public record FieldError(String field, String message) {}
