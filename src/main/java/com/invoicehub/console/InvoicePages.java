package com.invoicehub.console;

import java.nio.charset.StandardCharsets;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.invoicehub.approval.ApprovalRequests;
import com.invoicehub.delivery.Deliveries;
import com.invoicehub.delivery.Delivery;
import com.invoicehub.delivery.DeliveryOutbox;
import com.invoicehub.delivery.DeliveryStatus;
import com.invoicehub.ingest.lookup.IngestQueries;
import com.invoicehub.ingest.replay.RecordNotFound;
import com.invoicehub.invoicing.Corrections;
import com.invoicehub.invoicing.Invoice;
import com.invoicehub.invoicing.InvoiceCsv;
import com.invoicehub.invoicing.InvoiceDocuments;
import com.invoicehub.invoicing.InvoicePdf;
import com.invoicehub.invoicing.InvoiceStatus;
import com.invoicehub.invoicing.Invoices;
import com.invoicehub.platform.audit.AuditLog;

/**
 * Invoices (list, detail with its lines, approval requests and deliveries), their decisions and re-issue, the
 * deliveries with Retry, and the documents. Decisions are the same calls as the API's, audited as the person signed in.
 */
@Controller
class InvoicePages {

    private final Invoices invoices;
    private final Corrections corrections;
    private final ApprovalRequests approvalRequests;
    private final Deliveries deliveries;
    private final DeliveryOutbox outbox;
    private final InvoiceCsv csv;
    private final InvoicePdf pdf;
    private final InvoiceDocuments documents;
    private final IngestQueries ingest;

    InvoicePages(Invoices invoices, Corrections corrections, ApprovalRequests approvalRequests, Deliveries deliveries,
                 DeliveryOutbox outbox, InvoiceCsv csv, InvoicePdf pdf, InvoiceDocuments documents,
                 IngestQueries ingest) {
        this.ingest = ingest;
        this.invoices = invoices;
        this.corrections = corrections;
        this.approvalRequests = approvalRequests;
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.csv = csv;
        this.pdf = pdf;
        this.documents = documents;
    }

    @GetMapping("/console/invoices")
    String invoices(@RequestParam(required = false) String customer,
                    @RequestParam(required = false) InvoiceStatus status, @RequestParam(required = false) Long before,
                    Model model) {
        String customerId = customer == null || customer.isBlank() ? null : customer.trim();
        Listing<Invoice> page = Listing.of(invoices.list(customerId, status, null,
                before == null ? Long.MAX_VALUE : before, Listing.SIZE + 1), Invoice::id);
        model.addAttribute("invoices", page.rows());
        model.addAttribute("next", page.next());
        model.addAttribute("customer", customerId);
        model.addAttribute("status", status);
        model.addAttribute("statuses", InvoiceStatus.values());
        return "console/invoices";
    }

    @GetMapping("/console/invoices/{id}")
    String invoice(@PathVariable long id, Model model) {
        Invoice invoice = invoices.get(id, null);
        model.addAttribute("invoice", invoice);
        model.addAttribute("items", invoices.lineItems(id));
        model.addAttribute("actions", Corrections.Action.values());
        model.addAttribute("requests", approvalRequests.ofInvoice(id));
        model.addAttribute("deliveries", deliveries.ofInvoice(id));
        return "console/invoice";
    }

    @PostMapping("/console/invoices/{id}/approve")
    String approve(@PathVariable long id, RedirectAttributes redirect) {
        invoices.approve(id, null, AuditLog.currentActor());
        redirect.addFlashAttribute("notice", "Invoice " + id + " approved.");
        return "redirect:/console/invoices/" + id;
    }

    @PostMapping("/console/invoices/{id}/deny")
    String deny(@PathVariable long id, @RequestParam(required = false) String reason, RedirectAttributes redirect) {
        invoices.deny(id, null, AuditLog.currentActor(), reason);
        redirect.addFlashAttribute("notice", "Invoice " + id + " denied.");
        return "redirect:/console/invoices/" + id;
    }

    /** A correction of one item of a denied invoice (excluded, or billed at another amount), with its reason. */
    @PostMapping("/console/invoices/{id}/corrections")
    String correct(@PathVariable long id, @RequestParam long lineItemId, @RequestParam Corrections.Action action,
                   @RequestParam(required = false) String amount, @RequestParam(required = false) String reason,
                   RedirectAttributes redirect) {
        corrections.correct(id, lineItemId, action, amount == null || amount.isBlank() ? null : amount.trim(), reason);
        redirect.addFlashAttribute("notice", "Item " + lineItemId + ": " + action.name().toLowerCase()
                + " recorded. Re-issue the invoice when every correction is made.");
        return "redirect:/console/invoices/" + id;
    }

    /** From an item on an invoice down to the record it came from. */
    @GetMapping("/console/line-items/{id}")
    String lineItem(@PathVariable long id) {
        return ingest.recordOfLineItem(id).map(record -> "redirect:/console/records/" + record)
                .orElseThrow(() -> new RecordNotFound("of line item " + id));
    }

    @PostMapping("/console/invoices/{id}/reissue")
    String reissue(@PathVariable long id, RedirectAttributes redirect) {
        Invoice revision = corrections.reissue(id);
        redirect.addFlashAttribute("notice", "Invoice " + id + " re-issued as invoice " + revision.id() + ".");
        return "redirect:/console/invoices/" + revision.id();
    }

    @PostMapping("/console/invoices/{id}/approval-requests")
    String resendApprovalRequests(@PathVariable long id, RedirectAttributes redirect) {
        Invoice invoice = invoices.get(id, null);
        int sent = invoice.status() == InvoiceStatus.AWAITING_APPROVAL ? approvalRequests.reopen(id) : 0;
        redirect.addFlashAttribute("notice", sent == 0 ? "No approval request to send: the invoice is "
                + invoice.status() + "." : sent + " approval requests will be sent again.");
        return "redirect:/console/invoices/" + id;
    }

    @GetMapping("/console/invoices/{id}/download")
    ResponseEntity<byte[]> download(@PathVariable long id, @RequestParam String format) {
        Invoice invoice = invoices.get(id, null);
        return switch (format) {
            case "csv" -> attachment("invoice-" + id + ".csv", new MediaType("text", "csv", StandardCharsets.UTF_8),
                    csv.render(invoice).getBytes(StandardCharsets.UTF_8));
            case "pdf" -> attachment("invoice-" + id + ".pdf", MediaType.APPLICATION_PDF,
                    pdf.render(documents.of(invoice)));
            default -> ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN)
                    .body("format: use csv or pdf".getBytes(StandardCharsets.UTF_8));
        };
    }

    @GetMapping("/console/deliveries")
    String deliveries(@RequestParam(required = false) DeliveryStatus status,
                      @RequestParam(required = false) Long before, Model model) {
        Listing<Delivery> page = Listing.of(deliveries.page(status, null, before == null ? Long.MAX_VALUE : before,
                Listing.SIZE + 1), Delivery::id);
        model.addAttribute("deliveries", page.rows());
        model.addAttribute("next", page.next());
        model.addAttribute("status", status);
        model.addAttribute("statuses", DeliveryStatus.values());
        return "console/deliveries";
    }

    @PostMapping("/console/deliveries/{id}/retry")
    String retry(@PathVariable long id, @RequestParam(required = false) String back, RedirectAttributes redirect) {
        outbox.retry(id);
        redirect.addFlashAttribute("notice", "Delivery " + id + " will be sent again now.");
        Delivery delivery = deliveries.get(id);
        return "redirect:" + ("invoice".equals(back) ? "/console/invoices/" + delivery.invoiceId()
                : "/console/deliveries");
    }

    private static ResponseEntity<byte[]> attachment(String name, MediaType type, byte[] body) {
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build()
                        .toString())
                .body(body);
    }
}
