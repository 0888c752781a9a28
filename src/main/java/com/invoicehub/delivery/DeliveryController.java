package com.invoicehub.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.invoicehub.invoicing.Invoice;
import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.invoicing.Invoices;
import com.invoicehub.platform.api.ApiException;
import com.invoicehub.platform.api.Page;
import com.invoicehub.security.ApiPrincipal;

/**
 * Deliveries for ops (list, failed ones, retry), an invoice's deliveries and archived artifacts (ops, or the
 * customer's own key), and the X12 download (CONTRACT §6-§7).
 */
@RestController
class DeliveryController {

    /** Each delivery's attempts in the same query, so a page of deliveries is one round trip. */
    private static final String ATTEMPTS = """
            coalesce((select json_agg(json_build_object('at', a.at, 'result', a.result, 'httpStatus', a.http_status,
                                                        'error', a.error) order by a.id)
                      from delivery_attempts a where a.delivery_id = d.id), '[]')::text as attempts_json""";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private final JdbcClient jdbc;
    private final DeliveryOutbox outbox;
    private final Invoices invoices;
    private final InvoiceArtifacts artifacts;

    DeliveryController(JdbcClient jdbc, DeliveryOutbox outbox, Invoices invoices, InvoiceArtifacts artifacts) {
        this.jdbc = jdbc;
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
        if (channel != null && java.util.Arrays.stream(DeliveryChannel.Channel.values())
                .noneMatch(known -> known.name().equalsIgnoreCase(channel))) {
            throw ApiException.invalid("channel", channel + " is not one of EMAIL, WEBHOOK, EDI, API");
        }
        int limit = Page.size(size);
        long before = Page.beforeId(cursor);
        List<Delivery> rows = jdbc.sql("""
                        select d.*, """ + ATTEMPTS + " " + """
                        from deliveries d
                        where (cast(:status as text) is null or status = :status)
                          and (cast(:channel as text) is null or channel = :channel) and id < :before
                        order by id desc limit :limit""")
                .param("status", wanted == null ? null : wanted.name()).param("channel", channel == null ? null : channel.toUpperCase())
                .param("before", before).param("limit", limit + 1)
                .query(this::delivery).list();
        return Page.of(rows, limit, delivery -> Long.toString(delivery.id()));
    }

    @GetMapping("/api/v1/deliveries/{id}")
    Delivery get(@PathVariable long id) {
        return find(id);
    }

    @PostMapping("/api/v1/deliveries/{id}/retry")
    Delivery retry(@PathVariable long id) {
        outbox.retry(id);
        return find(id);
    }

    @GetMapping("/api/v1/invoices/{id}/deliveries")
    Page<Delivery> ofInvoice(@PathVariable long id, Authentication caller) {
        Invoice invoice = invoices.get(id, ApiPrincipal.customerIdOf(caller));
        return new Page<>(jdbc.sql("select d.*, " + ATTEMPTS + " from deliveries d where invoice_id = :id "
                        + "order by id")
                .param("id", invoice.id()).query(this::delivery).list(), null);
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

    private Delivery find(long id) {
        return jdbc.sql("select d.*, " + ATTEMPTS + " from deliveries d where id = :id").param("id", id)
                .query(this::delivery).optional()
                .orElseThrow(() -> new DeliveryNotFound(id));
    }

    private Delivery delivery(ResultSet rs, int row) throws SQLException {
        long id = rs.getLong("id");
        List<Delivery.Attempt> attempts;
        try {
            attempts = List.of(JSON.readValue(rs.getString("attempts_json"), Delivery.Attempt[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("attempts of delivery " + id + " unreadable", e);
        }
        return new Delivery(id, rs.getLong("invoice_id"), rs.getString("channel"),
                DeliveryStatus.valueOf(rs.getString("status")),
                rs.getString("message_id"), rs.getString("recipient"), rs.getInt("attempt_count"),
                rs.getObject("next_attempt_at", OffsetDateTime.class), rs.getString("last_error"), attempts,
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
    }
}
