package com.invoicehub.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.invoicing.Invoice;
import com.invoicehub.invoicing.InvoiceCsv;
import com.invoicehub.invoicing.InvoiceDocument;
import com.invoicehub.invoicing.InvoiceDocuments;
import com.invoicehub.invoicing.InvoicePdf;
import com.invoicehub.platform.HubProperties;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the hub sends of an invoice (CSV, PDF, JSON, X12), made once and archived in the {@code hub-archive} bucket
 * before it is sent, so every channel and every retry sends the same bytes and what a customer received can be read
 * back byte for byte. Made under a per-invoice advisory lock: two nodes never make two versions (nor spend two X12
 * control numbers) of one artifact.
 */
@Component
public class InvoiceArtifacts {

    public enum Format {
        CSV("csv", "text/csv; charset=UTF-8"),
        PDF("pdf", "application/pdf"),
        JSON("json", "application/json"),
        X12("x12", "application/edi-x12");

        final String extension;
        final String contentType;

        Format(String extension, String contentType) {
            this.extension = extension;
            this.contentType = contentType;
        }

        public static Optional<Format> of(String name) {
            for (Format format : values()) {
                if (format.extension.equalsIgnoreCase(name)) {
                    return Optional.of(format);
                }
            }
            return Optional.empty();
        }
    }

    public record Artifact(Format format, String fileName, String contentType, byte[] content, String sha256,
                           String archiveKey) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final S3Client s3;
    private final String bucket;
    private final InvoiceDocuments documents;
    private final InvoiceCsv csv;
    private final InvoicePdf pdf;
    private final X12Invoice x12;
    private final ObjectMapper json;
    private final Clock clock;

    InvoiceArtifacts(JdbcClient jdbc, TransactionTemplate transaction, S3Client s3, HubProperties hub,
                     InvoiceDocuments documents, InvoiceCsv csv, InvoicePdf pdf, X12Invoice x12, ObjectMapper json,
                     Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.s3 = s3;
        this.bucket = hub.s3().archiveBucket();
        this.documents = documents;
        this.csv = csv;
        this.pdf = pdf;
        this.x12 = x12;
        this.json = json;
        this.clock = clock;
    }

    /** The archived artifact, made and archived first if this is the first time it is needed. */
    public Artifact get(long invoiceId, Format format) {
        return find(invoiceId, format).orElseGet(() -> transaction.execute(status -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtext('invoice-artifacts'), hashtext(cast(:id as text)))")
                    .param("id", invoiceId).query(Object.class).single();
            return find(invoiceId, format).orElseGet(() -> make(invoiceId, format));
        }));
    }

    public Optional<Artifact> find(long invoiceId, Format format) {
        return jdbc.sql("select archive_key, sha256 from invoice_artifacts where invoice_id = :id and format = :format")
                .param("id", invoiceId).param("format", format.extension)
                .query((rs, n) -> {
                    String key = rs.getString(1);
                    byte[] content = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
                    return new Artifact(format, fileName(invoiceId, format), format.contentType, content,
                            rs.getString(2).trim(), key);
                })
                .optional();
    }

    /** Every artifact archived for the invoice, by format. */
    public Map<String, String> archiveKeys(long invoiceId) {
        Map<String, String> keys = new LinkedHashMap<>();
        jdbc.sql("select format, archive_key from invoice_artifacts where invoice_id = :id order by format")
                .param("id", invoiceId).query(rs -> {
                    keys.put(rs.getString(1), rs.getString(2));
                });
        return keys;
    }

    private Artifact make(long invoiceId, Format format) {
        InvoiceDocument document = documents.of(invoiceId);
        Invoice invoice = document.invoice();
        byte[] content = switch (format) {
            case CSV -> csv.render(invoice).getBytes(StandardCharsets.UTF_8);
            case PDF -> pdf.render(document);
            case JSON -> webhookPayload(invoice);
            case X12 -> x12.write(document, ediParties(invoice.customerId()), nextControlNumber(invoice.customerId()),
                    clock.instant().atZone(ZoneOffset.UTC));
        };
        String sha256 = sha256(content);
        // The digest in the key: an object once written is never overwritten, whatever happens later.
        String key = "invoices/" + invoice.customerId() + "/" + invoiceId + "/" + sha256.substring(0, 12) + "/"
                + fileName(invoiceId, format);
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(format.contentType), RequestBody.fromBytes(content));
        jdbc.sql("""
                        insert into invoice_artifacts (invoice_id, format, archive_key, sha256, content_type, size_bytes,
                                                       created_at)
                        values (:id, :format, :key, :sha, :type, :size, :now)""")
                .param("id", invoiceId).param("format", format.extension).param("key", key).param("sha", sha256)
                .param("type", format.contentType).param("size", content.length)
                .param("now", Timestamp.from(clock.instant())).update();
        return new Artifact(format, fileName(invoiceId, format), format.contentType, content, sha256, key);
    }

    /** The webhook body (and the JSON artifact): {@code {"type":"invoice.approved","timestamp":…,"data":invoice}}. */
    private byte[] webhookPayload(Invoice invoice) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "invoice.approved");
        payload.put("timestamp", invoice.decidedAt());
        payload.put("data", invoice);
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private X12Invoice.Parties ediParties(String customerId) {
        return jdbc.sql("select edi_sender_id, edi_receiver_id from customers where id = :id")
                .param("id", customerId)
                .query((rs, n) -> new X12Invoice.Parties(rs.getString(1), rs.getString(2)))
                .optional()
                .filter(parties -> parties.senderId() != null && parties.receiverId() != null)
                .orElseThrow(() -> new NoEdiSettings(customerId));
    }

    /** The customer's next interchange control number: unique and increasing (a row lock serializes takers). */
    private long nextControlNumber(String customerId) {
        return jdbc.sql("""
                        insert into edi_control_numbers (customer_id, last_number) values (:c, 1)
                        on conflict (customer_id) do update set last_number = edi_control_numbers.last_number + 1
                        returning last_number""")
                .param("c", customerId).query(Long.class).single();
    }

    static String fileName(long invoiceId, Format format) {
        return "invoice-" + invoiceId + "." + format.extension;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
