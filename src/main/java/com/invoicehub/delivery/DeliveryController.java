package com.invoicehub.delivery;

import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.invoicing.Invoice;
import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.invoicing.Invoices;
import com.invoicehub.platform.api.ApiException;
import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.platform.api.Page;
import com.invoicehub.security.ApiPrincipal;

import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Deliveries for ops (list, failed ones, retry), an invoice's deliveries and archived artifacts (ops, or the
 * customer's own key), and the X12 download (CONTRACT §6-§7).
 */
@Tag(name = ApiTags.DELIVERY)
@RestController
class DeliveryController {

    private final Deliveries deliveries;
    private final DeliveryOutbox outbox;
    private final Invoices invoices;
    private final InvoiceArtifacts artifacts;

    DeliveryController(Deliveries deliveries, DeliveryOutbox outbox, Invoices invoices, InvoiceArtifacts artifacts) {
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.invoices = invoices;
        this.artifacts = artifacts;
    }

    @GetMapping("/api/v1/deliveries")
    Page<Delivery> list(@RequestParam(required = false) String status,
                        @RequestParam(required = false) String channel,
                        @RequestParam(required = false) Integer size, @RequestParam(required = false) String cursor) {
        DeliveryStatus wanted = status == null ? null : java.util.Arrays.stream(DeliveryStatus.values())
                .filter(known -> known.name().equals(status)).findFirst()
                .orElseThrow(() -> ApiException.invalid("status", status + " is not one of PENDING, SENT, FAILED"));
        DeliveryChannel.Kind via = channel == null ? null : java.util.Arrays.stream(
                        DeliveryChannel.Kind.values()).filter(known -> known.name().equalsIgnoreCase(channel))
                .findFirst().orElseThrow(() -> ApiException.invalid("channel", channel
                        + " is not one of EMAIL, WEBHOOK, EDI, API"));
        int limit = Page.size(size);
        return Page.of(deliveries.page(wanted, via, Page.beforeId(cursor), limit + 1), limit,
                delivery -> Long.toString(delivery.id()));
    }

    @GetMapping("/api/v1/deliveries/{id}")
    Delivery get(@PathVariable long id) {
        return deliveries.get(id);
    }

    @PostMapping("/api/v1/deliveries/{id}/retry")
    Delivery retry(@PathVariable long id) {
        outbox.retry(id);
        return deliveries.get(id);
    }

    @GetMapping("/api/v1/invoices/{id}/deliveries")
    Page<Delivery> ofInvoice(@PathVariable long id, Authentication caller) {
        Invoice invoice = invoices.get(id, ApiPrincipal.customerIdOf(caller));
        return new Page<>(deliveries.ofInvoice(invoice.id()), null);
    }

    /** What was archived (and so sent) of the invoice, by format: the archive key and SHA-256 of each. */
    @GetMapping("/api/v1/invoices/{id}/artifacts")
    Map<String, String> artifacts(@PathVariable long id, Authentication caller) {
        return artifacts.archiveKeys(invoices.get(id, ApiPrincipal.customerIdOf(caller)).id());
    }

    /** The archived bytes of one artifact, exactly as sent. */
    @GetMapping("/api/v1/invoices/{id}/artifacts/{format}")
    ResponseEntity<byte[]> artifact(@PathVariable long id, @PathVariable String format, Authentication caller) {
        Invoice invoice = invoices.get(id, ApiPrincipal.customerIdOf(caller));
        InvoiceArtifacts.Format wanted = InvoiceArtifacts.Format.of(format)
                .orElseThrow(() -> ApiException.invalid("format", format + " is not one of csv, pdf, json, x12"));
        InvoiceArtifacts.Artifact artifact = artifacts.find(invoice.id(), wanted)
                .orElseThrow(() -> ApiException.notFound("artifact", id + "/" + format));
        return file(artifact);
    }

    @GetMapping(value = "/api/v1/invoices/{id}/download", params = "format=x12")
    ResponseEntity<byte[]> x12(@PathVariable long id, Authentication caller) {
        Invoice invoice = invoices.get(id, ApiPrincipal.customerIdOf(caller));
        if (!Set.of(InvoiceStatus.APPROVED, InvoiceStatus.DELIVERED).contains(invoice.status())) {
            throw new InvoiceNotApproved(id, invoice.status());
        }
        InvoiceArtifacts.Artifact interchange = artifacts.get(invoice.id(), InvoiceArtifacts.Format.X12);
        if (ApiPrincipal.customerIdOf(caller) != null && invoice.status() == InvoiceStatus.APPROVED) {
            outbox.fetchedByCustomer(invoice.id()); // the customer pulled it: as much a fetch as the JSON
        }
        return file(interchange);
    }

    private static ResponseEntity<byte[]> file(InvoiceArtifacts.Artifact artifact) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=" + artifact.fileName())
                .header("X-Content-SHA256", artifact.sha256())
                .contentType(MediaType.parseMediaType(artifact.contentType())).body(artifact.content());
    }
}
