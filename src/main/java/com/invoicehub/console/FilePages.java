package com.invoicehub.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.springframework.core.io.InputStreamResource;
import org.springframework.format.annotation.DateTimeFormat;
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

import com.invoicehub.delivery.Deliveries;
import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.FileStatus;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.lookup.FileDownloads;
import com.invoicehub.ingest.lookup.IngestQueries;
import com.invoicehub.ingest.lookup.IngestQueries.FileFilter;
import com.invoicehub.ingest.lookup.IngestViews.AttemptView;
import com.invoicehub.ingest.lookup.IngestViews.FileView;
import com.invoicehub.ingest.lookup.IngestViews.RecordView;
import com.invoicehub.ingest.replay.RecordNotFound;
import com.invoicehub.ingest.replay.ReplayReport;
import com.invoicehub.ingest.replay.Replays;
import com.invoicehub.ingest.replay.SourceFileNotFound;
import com.invoicehub.invoicing.Invoice;
import com.invoicehub.invoicing.InvoiceLineItems;
import com.invoicehub.invoicing.Invoices;

/**
 * Files (receipts of every channel), a file's rows by outcome, its downloads and its replay; attempts by outcome;
 * a record's story from the row as sent to the deliveries of the invoice it landed on. A replay is always shown as
 * a dry run first and done only when confirmed.
 */
@Controller
class FilePages {

    private static final int ROWS = 500;
    private static final int REFRESH_SECONDS = 5;
    /** The window of the "still left to look at" attempts (the overview counts the same). */
    static final int LATEST_DAYS = 30;
    /** Changed records a dry run shows (its totals count them all). */
    private static final int SHOWN_CHANGES = 500;

    private final IngestQueries queries;
    private final Replays replays;
    private final FileDownloads downloads;
    private final Invoices invoices;
    private final Deliveries deliveries;
    private final Clock clock;

    FilePages(IngestQueries queries, Replays replays, FileDownloads downloads, Invoices invoices,
              Deliveries deliveries, Clock clock) {
        this.clock = clock;
        this.queries = queries;
        this.replays = replays;
        this.downloads = downloads;
        this.invoices = invoices;
        this.deliveries = deliveries;
    }

    @GetMapping("/console/files")
    String files(@RequestParam(required = false) String partner, @RequestParam(required = false) Channel channel,
                 @RequestParam(required = false) FileStatus status,
                 @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                 @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                 @RequestParam(required = false) Long before, Model model) {
        String partnerId = partner == null || partner.isBlank() ? null : partner.trim();
        FileFilter filter = new FileFilter(partnerId, channel, status,
                from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Listing<FileView> files = Listing.of(queries.files(filter, before, Listing.SIZE + 1, false), FileView::id);
        model.addAttribute("files", files.rows());
        model.addAttribute("next", files.next());
        model.addAttribute("partner", partnerId);
        model.addAttribute("channel", channel);
        model.addAttribute("status", status);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("channels", Channel.values());
        model.addAttribute("statuses", FileStatus.values());
        // A running file's progress moves: the page reloads itself while one is shown (no script needed).
        if (files.rows().stream().anyMatch(FileView::running)) {
            model.addAttribute("refresh", REFRESH_SECONDS);
        }
        return "console/files";
    }

    @GetMapping("/console/files/{id}")
    String file(@PathVariable long id, @RequestParam(required = false) Outcome outcome, Model model) {
        FileView file = queries.file(id).orElseThrow(() -> new SourceFileNotFound(id));
        model.addAttribute("file", file);
        if (file.running()) {
            model.addAttribute("refresh", REFRESH_SECONDS);
        }
        model.addAttribute("outcome", outcome);
        model.addAttribute("outcomes", Outcome.values());
        model.addAttribute("rows", queries.rows(id, outcome, ROWS + 1));
        model.addAttribute("rowLimit", ROWS);
        return "console/file";
    }

    /** The dry run of a file's replay: what would change, and a form to do it. */
    @GetMapping("/console/files/{id}/replay")
    String fileReplayPreview(@PathVariable long id, Model model) {
        FileView file = queries.file(id).orElseThrow(() -> new SourceFileNotFound(id));
        model.addAttribute("subject", "file " + id + " (" + file.name() + ")");
        model.addAttribute("action", "/console/files/" + id + "/replay");
        model.addAttribute("back", "/console/files/" + id);
        model.addAttribute("report", replays.replayFile(id, true));
        model.addAttribute("shownChanges", SHOWN_CHANGES);
        return "console/replay";
    }

    @PostMapping("/console/files/{id}/replay")
    String fileReplay(@PathVariable long id, RedirectAttributes redirect) {
        ReplayReport report = replays.replayFile(id, false);
        redirect.addFlashAttribute("notice", "File " + id + " replayed: " + report.outcomes());
        return "redirect:/console/files/" + id;
    }

    @GetMapping("/console/files/{id}/results")
    ResponseEntity<InputStreamResource> results(@PathVariable long id) {
        return download(downloads.results(id), new MediaType("text", "csv"));
    }

    @GetMapping("/console/files/{id}/original")
    ResponseEntity<InputStreamResource> original(@PathVariable long id) {
        return downloads.original(id).map(d -> download(d, MediaType.APPLICATION_OCTET_STREAM))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    /**
     * Attempts by outcome and partner; with {@code latest}, only records whose latest attempt has that outcome,
     * received in the last {@value #LATEST_DAYS} days: what is still left to look at (the overview links here).
     */
    @GetMapping("/console/attempts")
    String attempts(@RequestParam(required = false) String partner, @RequestParam(required = false) Outcome outcome,
                    @RequestParam(defaultValue = "false") boolean latest, @RequestParam(required = false) Long before,
                    Model model) {
        String partnerId = partner == null || partner.isBlank() ? null : partner.trim();
        boolean onlyLatest = latest && outcome != null;
        Listing<AttemptView> attempts = onlyLatest
                ? Listing.of(queries.latestAttempts(partnerId, outcome, clock.instant().minus(Duration.ofDays(
                        LATEST_DAYS)), before, Listing.SIZE + 1), AttemptView::recordId)
                : Listing.of(queries.attempts(partnerId, outcome == null ? null : outcome.name(), null, null, before,
                        Listing.SIZE + 1), AttemptView::id);
        model.addAttribute("attempts", attempts.rows());
        model.addAttribute("next", attempts.next());
        model.addAttribute("partner", partnerId);
        model.addAttribute("outcome", outcome);
        model.addAttribute("latest", onlyLatest);
        model.addAttribute("outcomes", Outcome.values());
        return "console/attempts";
    }

    @GetMapping("/console/records/{id}")
    String record(@PathVariable long id, Model model) {
        RecordView record = queries.record(id).orElseThrow(() -> new RecordNotFound(Long.toString(id)));
        model.addAttribute("record", record);
        model.addAttribute("file", queries.file(record.fileId(), false).orElse(null));
        if (record.invoiceId() != null) {
            Invoice invoice = invoices.get(record.invoiceId(), null);
            model.addAttribute("invoice", invoice);
            InvoiceLineItems items = invoices.lineItems(invoice.id());
            model.addAttribute("line", invoice.lines().stream()
                    .filter(line -> items.behind(line).stream()
                            .anyMatch(item -> item.lineItemId() == record.lineItemId()))
                    .findFirst().orElse(null));
            model.addAttribute("deliveries", deliveries.ofInvoice(invoice.id()));
        }
        return "console/record";
    }

    @GetMapping("/console/records/{id}/replay")
    String recordReplayPreview(@PathVariable long id, Model model) {
        queries.record(id).orElseThrow(() -> new RecordNotFound(Long.toString(id)));
        model.addAttribute("subject", "record " + id);
        model.addAttribute("action", "/console/records/" + id + "/replay");
        model.addAttribute("back", "/console/records/" + id);
        model.addAttribute("report", replays.replayRecord(id, true));
        model.addAttribute("shownChanges", SHOWN_CHANGES);
        return "console/replay";
    }

    @PostMapping("/console/records/{id}/replay")
    String recordReplay(@PathVariable long id, RedirectAttributes redirect) {
        queries.record(id).orElseThrow(() -> new RecordNotFound(Long.toString(id)));
        ReplayReport report = replays.replayRecord(id, false);
        redirect.addFlashAttribute("notice", "Record " + id + " replayed: " + report.records().stream()
                .map(r -> r.previousOutcome() + " → " + r.outcome()).findFirst().orElse("nothing to do"));
        return "redirect:/console/records/" + id;
    }

    private static ResponseEntity<InputStreamResource> download(FileDownloads.Download download, MediaType type) {
        try {
            long size = Files.size(download.file());
            // On Unix the file is unlinked at once and its bytes stay readable until the stream is closed.
            InputStream in = Files.newInputStream(download.file(), StandardOpenOption.DELETE_ON_CLOSE);
            return ResponseEntity.ok().contentType(type).contentLength(size)
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                            .filename(download.name(), StandardCharsets.UTF_8).build().toString())
                    .body(new InputStreamResource(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
