package com.invoicehub.platform.api;

import org.springframework.http.HttpStatus;

/** A typed failure of a use case, answered with its status and the error body of CONTRACT §10. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String error;
    private final String field;

    public ApiException(HttpStatus status, String error, String message, String field) {
        super(message);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", field + ": " + message, field);
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", what + " " + id + " does not exist", null);
    }

    public static ApiException conflict(String field, String message) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", message, field);
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError body() {
        return new ApiError(error, getMessage(), field);
    }
}
