package com.invoicehub.platform.api;

import java.io.IOException;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.platform.DatabaseAvailability;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The one answer to an HTTP call the hub cannot serve because its database is unreachable: 503, {@code Retry-After}
 * and the error body of CONTRACT §10, the same from the API's exception handler, the fail-fast filter and the
 * webhook route ({@code routes/platform/database-unavailable.yaml}).
 */
@Component("databaseUnavailable")
public class DatabaseUnavailable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailable.class);

    private final DatabaseAvailability database;
    private final ObjectMapper mapper;

    DatabaseUnavailable(DatabaseAvailability database, ObjectMapper mapper) {
        this.database = database;
        this.mapper = mapper;
    }

    public ApiError body() {
        return ApiError.of("database_unavailable", "the hub's database cannot be reached right now; try again in "
                + database.retryAfterSeconds() + " seconds");
    }

    public int retryAfterSeconds() {
        return database.retryAfterSeconds();
    }

    /** For the API's exception handler: tells the availability check, then answers. */
    ResponseEntity<ApiError> answer(Exception failure) {
        noteFailure(failure);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds()))
                .body(body());
    }

    /** For a servlet filter, before or instead of the rest of the chain. */
    void write(HttpServletResponse response) throws IOException {
        response.resetBuffer();
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds()));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write(json(body()));
        response.flushBuffer();
    }

    /** For a Camel route's error handler: the body of the answer; the route sets the status and Retry-After. */
    public String json(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        if (failure != null) {
            noteFailure(failure);
        }
        return json(body());
    }

    void noteFailure(Throwable failure) {
        database.reportFailure(failure);
        log.warn("Answered 503: the database is unavailable ({})", rootMessage(failure));
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private String json(ApiError error) {
        try {
            return mapper.writeValueAsString(error);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
