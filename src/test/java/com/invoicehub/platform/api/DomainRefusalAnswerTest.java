package com.invoicehub.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import com.invoicehub.approval.ApprovalsJustOpened;
import com.invoicehub.customers.CustomerExists;
import com.invoicehub.customers.CustomerNotFound;
import com.invoicehub.delivery.DeliveryNotFailed;
import com.invoicehub.delivery.DeliveryStatus;
import com.invoicehub.delivery.NoEdiSettings;
import com.invoicehub.ingest.mapping.MappingNotFound;
import com.invoicehub.ingest.replay.RecordNotFound;
import com.invoicehub.invoicing.InvoiceAlreadyDecided;
import com.invoicehub.invoicing.InvoiceNotFound;
import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.invoicing.ReasonRequired;
import com.invoicehub.platform.DomainRefusal;
import com.invoicehub.platform.InvalidValue;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A domain refusal is answered exactly as the ApiException it replaced was (CONTRACT §10): the same status and the
 * same JSON body, field left out when there is none. No Spring.
 */
class DomainRefusalAnswerTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler(null);
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyKindHasItsStatus() {
        assertThat(ApiExceptionHandler.status(DomainRefusal.Kind.INVALID)).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(ApiExceptionHandler.status(DomainRefusal.Kind.NOT_FOUND)).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(ApiExceptionHandler.status(DomainRefusal.Kind.CONFLICT)).isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void notFoundIsAnsweredAsBefore() throws Exception {
        sameAnswer(new InvoiceNotFound(7), ApiException.notFound("invoice", "7"));
        sameAnswer(new CustomerNotFound("acme"), ApiException.notFound("customer", "acme"));
        sameAnswer(new RecordNotFound(""), ApiException.notFound("record", ""));
        sameAnswer(new MappingNotFound("nope", List.of("a", "b")), new ApiException(HttpStatus.NOT_FOUND,
                "not_found", "no mapping named 'nope'; known: a, b", "mapping"));
    }

    @Test
    void invalidValuesAreAnsweredAsBefore() throws Exception {
        sameAnswer(new ReasonRequired("must say why the invoice is denied"),
                ApiException.invalid("reason", "must say why the invoice is denied"));
        sameAnswer(new InvalidValue("dayOfMonth", "must be between 1 and 28"),
                ApiException.invalid("dayOfMonth", "must be between 1 and 28"));
        sameAnswer(new NoEdiSettings("acme"), ApiException.invalid("format", "customer acme has no EDI settings "
                + "(delivery.edi senderId and receiverId); it gets no X12"));
    }

    @Test
    void conflictsAreAnsweredAsBefore() throws Exception {
        sameAnswer(new InvoiceAlreadyDecided(7, InvoiceStatus.DENIED), new ApiException(HttpStatus.CONFLICT,
                "already_decided", "invoice 7 is DENIED; it can be decided only while AWAITING_APPROVAL", null));
        sameAnswer(new CustomerExists("acme"), ApiException.conflict("id", "customer acme already exists"));
        sameAnswer(new DeliveryNotFailed(3, DeliveryStatus.SENT), new ApiException(HttpStatus.CONFLICT,
                "not_failed", "delivery 3 is SENT; only a FAILED delivery is retried", null));
        Instant at = Instant.parse("2026-11-06T08:00:00Z");
        sameAnswer(new ApprovalsJustOpened(7, at, at.plusSeconds(60)), new ApiException(HttpStatus.CONFLICT,
                "just_opened", "approval requests of invoice 7 were opened at 2026-11-06T08:00:00Z; they can be "
                + "opened again from 2026-11-06T08:01:00Z (a second click would mail every approver twice)", null));
    }

    private void sameAnswer(DomainRefusal refusal, ApiException before) throws Exception {
        ResponseEntity<?> now = handler.domainRefusal(refusal);
        ResponseEntity<?> then = handler.apiException(before);
        assertThat(now.getStatusCode()).isEqualTo(then.getStatusCode());
        assertThat(json.writeValueAsString(now.getBody())).isEqualTo(json.writeValueAsString(then.getBody()));
    }
}
