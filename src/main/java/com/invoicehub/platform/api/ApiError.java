package com.invoicehub.platform.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The error body of CONTRACT §10. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, String field) {

    public static ApiError of(String error, String message) {
        return new ApiError(error, message, null);
    }
}
