package com.invoicehub.invoicing;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.platform.api.ApiException;
import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.platform.api.Page;
import com.invoicehub.platform.audit.AuditLog;
import com.invoicehub.security.ApiPrincipal;

import io.swagger.v3.oas.annotations.tags.Tag;

/** CONTRACT §6: schedules (ops) and invoices (ops, or a customer's own with its API key). */
@RestController
class InvoicingController {

    private final Schedules schedules;
    private final Invoices invoices;
    private final InvoiceCsv csv;
    private final Corrections corrections;
    private final InvoiceDocuments documents;
    private final InvoicePdf pdf;
    private final ApplicationEventPublisher events;

    InvoicingController(Schedules schedules, Invoices invoices, InvoiceCsv csv, Corrections corrections,
                        InvoiceDocuments documents, InvoicePdf pdf, ApplicationEventPublisher events) {
        this.events = events;
        this.documents = documents;
        this.pdf = pdf;
        this.schedules = schedules;
        this.invoices = invoices;
        this.csv = csv;
        this.corrections = corrections;
    }

    record ScheduleChange(Integer dayOfMonth, String timeZone, Boolean enabled) {
    }

    record Decision(String reason) {
    }

    record Correction(Long lineItemId, Corrections.Action action, String amount, String reason) {
    }

    @Tag(name = ApiTags.SCHEDULES)
    @GetMapping("/api/v1/schedules")
    Page<Schedule> schedules() {
        return new Page<>(schedules.list(), null);
    }

    @Tag(name = ApiTags.SCHEDULES)
    @GetMapping("/api/v1/schedules/{customerId}")
    Schedule schedule(@PathVariable String customerId) {
        return schedules.get(customerId);
    }

    @Tag(name = ApiTags.SCHEDULES)
    @PutMapping("/api/v1/schedules/{customerId}")
    Schedule change(@PathVariable String customerId, @RequestBody ScheduleChange change) {
        return schedules.change(customerId, change.dayOfMonth(), change.timeZone(), change.enabled());
    }

    @Tag(name = ApiTags.SCHEDULES)
    @PostMapping("/api/v1/schedules/{customerId}/enable")
    Schedule enable(@PathVariable String customerId) {
        return schedules.change(customerId, null, null, true);
    }

    @Tag(name = ApiTags.SCHEDULES)
    @PostMapping("/api/v1/schedules/{customerId}/disable")
    Schedule disable(@PathVariable String customerId) {
        return schedules.change(customerId, null, null, false);
    }

    @Tag(name = ApiTags.SCHEDULES)
    @PostMapping("/api/v1/schedules/{customerId}/trigger")
    InvoiceRun.Result trigger(@PathVariable String customerId) {
        return schedules.trigger(customerId);
    }

    @Tag(name = ApiTags.INVOICES)
    @GetMapping("/api/v1/invoices")
    Page<Invoice> invoices(@RequestParam(required = false) String customerId,
                           @RequestParam(required = false) String status,
                           @RequestParam(required = false) Integer size, @RequestParam(required = false) String cursor,
                           Authentication caller) {
        int limit = Page.size(size);
        InvoiceStatus wanted = status == null ? null : java.util.Arrays.stream(InvoiceStatus.values())
                .filter(known -> known.name().equals(status)).findFirst()
                .orElseThrow(() -> ApiException.invalid("status", status
                        + " is not one of AWAITING_APPROVAL, APPROVED, DENIED, DELIVERED"));
        return Page.of(invoices.list(customerId, wanted, ApiPrincipal.customerIdOf(caller), Page.beforeId(cursor),
                        limit + 1), limit,
                invoice -> Long.toString(invoice.id()));
    }

    @Tag(name = ApiTags.INVOICES)
    @GetMapping("/api/v1/invoices/{id}")
    Invoice invoice(@PathVariable long id, Authentication caller) {
        return fetched(invoices.get(id, ApiPrincipal.customerIdOf(caller)), caller);
    }

    /** A customer reading an approved invoice with its key is the API delivery of it. */
    private Invoice fetched(Invoice invoice, Authentication caller) {
        if (ApiPrincipal.customerIdOf(caller) != null) {
            events.publishEvent(new InvoiceFetchedByCustomer(invoice.id(), invoice.status()));
        }
        return invoice;
    }

    @Tag(name = ApiTags.APPROVAL)
    @PostMapping("/api/v1/invoices/{id}/approve")
    Invoice approve(@PathVariable long id, Authentication caller) {
        return invoices.approve(id, ApiPrincipal.customerIdOf(caller), AuditLog.currentActor());
    }

    @Tag(name = ApiTags.APPROVAL)
    @PostMapping("/api/v1/invoices/{id}/deny")
    Invoice deny(@PathVariable long id, @RequestBody(required = false) Decision decision, Authentication caller) {
        return invoices.deny(id, ApiPrincipal.customerIdOf(caller), AuditLog.currentActor(),
                decision == null ? null : decision.reason());
    }

    /** Finance corrects a denied invoice item by item (ops/finance only), then re-issues it. */
    @Tag(name = ApiTags.INVOICES)
    @PostMapping("/api/v1/invoices/{id}/corrections")
    Invoice correct(@PathVariable long id, @RequestBody Correction correction, Authentication caller) {
        requireStaff(caller);
        if (correction.lineItemId() == null) {
            throw ApiException.invalid("lineItemId", "is required");
        }
        corrections.correct(id, correction.lineItemId(), correction.action(), correction.amount(),
                correction.reason());
        return invoices.get(id, null);
    }

    @Tag(name = ApiTags.INVOICES)
    @PostMapping("/api/v1/invoices/{id}/reissue")
    Invoice reissue(@PathVariable long id, Authentication caller) {
        requireStaff(caller);
        return corrections.reissue(id);
    }

    private static void requireStaff(Authentication caller) {
        if (ApiPrincipal.customerIdOf(caller) != null) {
            throw new ApiException(org.springframework.http.HttpStatus.FORBIDDEN, "forbidden",
                    "corrections are made by finance", null);
        }
    }

    /** X12 is served by the delivery package (DeliveryController), which makes and archives it. */
    @Tag(name = ApiTags.INVOICES)
    @GetMapping(value = "/api/v1/invoices/{id}/download", params = "format!=x12")
    ResponseEntity<?> download(@PathVariable long id, @RequestParam(defaultValue = "json") String format,
                               Authentication caller) {
        Invoice invoice = fetched(invoices.get(id, ApiPrincipal.customerIdOf(caller)), caller);
        return switch (format) {
            case "json" -> ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=invoice-" + id + ".json")
                    .contentType(MediaType.APPLICATION_JSON).body(invoice);
            case "csv" -> ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=invoice-" + id + ".csv")
                    .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                    .body(csv.render(invoice));
            case "pdf" -> ResponseEntity.ok()
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=invoice-" + id + ".pdf")
                    .contentType(MediaType.APPLICATION_PDF).body(pdf.render(documents.of(invoice)));
            default -> throw ApiException.invalid("format", format + " is not available; use csv, pdf, json or x12");
        };
    }
}
