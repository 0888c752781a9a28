package com.invoicehub.platform.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.invoicehub.platform.DatabaseAvailability;
import com.invoicehub.platform.DomainRefusal;

/**
 * Every API failure as {@code {"error","message","field"}}; a validation error names the field at fault, a database
 * that cannot be reached answers 503 with {@code Retry-After}.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final DatabaseUnavailable databaseUnavailable;

    ApiExceptionHandler(DatabaseUnavailable databaseUnavailable) {
        this.databaseUnavailable = databaseUnavailable;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> apiException(ApiException e) {
        return ResponseEntity.status(e.status()).body(e.body());
    }

    /** A feature's refusal: the error of CONTRACT §10, plus the facts the feature gives (see DomainRefusal). */
    @ExceptionHandler(DomainRefusal.class)
    ResponseEntity<Map<String, Object>> domainRefusal(DomainRefusal e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        if (e.field() != null) {
            body.put("field", e.field());
        }
        body.putAll(e.details());
        return ResponseEntity.status(status(e.kind())).body(body);
    }

    /** The one place a refusal's kind becomes an HTTP status. */
    static HttpStatus status(DomainRefusal.Kind kind) {
        return switch (kind) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
        };
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ApiError> invalidBody(MethodArgumentNotValidException e) {
        FieldError first = e.getBindingResult().getFieldErrors().stream()
                .sorted(java.util.Comparator.comparing(FieldError::getField))
                .findFirst().orElse(null);
        String message = e.getBindingResult().getFieldErrors().stream()
                .sorted(java.util.Comparator.comparing(FieldError::getField))
                .map(error -> error.getField() + ": " + error.getDefaultMessage())
                .collect(Collectors.joining("; "));
        return ResponseEntity.badRequest().body(new ApiError("validation_failed", message,
                first == null ? null : first.getField()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadableBody(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String why = mapping instanceof InvalidFormatException format
                    ? "value " + format.getValue() + " is not one of the accepted values"
                    + (format.getTargetType().isEnum()
                    ? " " + java.util.Arrays.toString(format.getTargetType().getEnumConstants()) : "")
                    : "has the wrong type";
            return ResponseEntity.badRequest().body(new ApiError("validation_failed", field + ": " + why, field));
        }
        if (e.getCause() instanceof JsonProcessingException json && json.getLocation() != null) {
            return ResponseEntity.badRequest().body(ApiError.of("malformed_json", "malformed JSON at line "
                    + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ": "
                    + json.getOriginalMessage()));
        }
        return ResponseEntity.badRequest().body(ApiError.of("malformed_json", "the request body is missing or "
                + "is not JSON"));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e) {
        return ResponseEntity.badRequest().body(new ApiError("validation_failed",
                e.getParameterName() + ": is required", e.getParameterName()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> badParameter(MethodArgumentTypeMismatchException e) {
        return ResponseEntity.badRequest().body(new ApiError("validation_failed",
                e.getName() + ": " + e.getValue() + " is not valid", e.getName()));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> wrongMethod(HttpRequestMethodNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .body(ApiError.of("method_not_allowed", e.getMessage()));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> wrongMediaType(HttpMediaTypeNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(ApiError.of("unsupported_media_type", e.getMessage()));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<String> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return ResponseEntity.status(HttpStatus.NOT_ACCEPTABLE).build();
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noSuchPath(NoResourceFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ApiError.of("not_found", e.getMessage()));
    }

    /** The database cannot be reached (or the pool gave no connection in time): 503 + Retry-After, not a 500. */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessResourceException.class,
            CannotCreateTransactionException.class})
    ResponseEntity<ApiError> databaseUnavailable(Exception e) {
        return databaseUnavailable.answer(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        if (DatabaseAvailability.isUnavailable(e)) {
            return databaseUnavailable.answer(e);
        }
        log.error("Unexpected API failure", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(ApiError.of("internal_error", "something failed on our side; it was logged"));
    }
}
