package com.invoicehub.ingest.lookup;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.ingest.FileStatus;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.lookup.IngestQueries.FileFilter;
import com.invoicehub.ingest.lookup.IngestViews.AttemptView;
import com.invoicehub.ingest.lookup.IngestViews.FileView;
import com.invoicehub.ingest.lookup.IngestViews.RecordView;
import com.invoicehub.ingest.replay.RecordNotFound;
import com.invoicehub.ingest.replay.ReplayReport;
import com.invoicehub.ingest.replay.Replays;
import com.invoicehub.ingest.replay.SourceFileNotFound;
import com.invoicehub.platform.api.ApiException;
import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.platform.api.Page;
import com.invoicehub.platform.api.TimeWindow;

import io.swagger.v3.oas.annotations.tags.Tag;

/** CONTRACT §5: look-ups of receipts, records and attempts, and replays (ops). */
@Tag(name = ApiTags.INGEST)
@RestController
@RequestMapping("/api/v1/ingest")
class IngestController {

    private final IngestQueries queries;
    private final Replays replays;

    IngestController(IngestQueries queries, Replays replays) {
        this.queries = queries;
        this.replays = replays;
    }

    @GetMapping("/files")
    Page<FileView> files(@RequestParam(required = false) String partnerId,
                         @RequestParam(required = false) FileStatus status,
                         @RequestParam(required = false) Integer size, @RequestParam(required = false) String cursor) {
        int limit = Page.size(size);
        List<FileView> rows = queries.files(new FileFilter(partnerId, null, status, null, null), position(cursor),
                limit + 1);
        return Page.of(rows, limit, file -> Long.toString(file.id()));
    }

    @GetMapping("/files/{id}")
    FileView file(@PathVariable long id) {
        return queries.file(id).orElseThrow(() -> new SourceFileNotFound(id));
    }

    @GetMapping("/records/{id}")
    RecordView record(@PathVariable long id) {
        return queries.record(id).orElseThrow(() -> new RecordNotFound(Long.toString(id)));
    }

    @GetMapping("/attempts")
    Page<AttemptView> attempts(@RequestParam(required = false) String partnerId,
                               @RequestParam(required = false) Outcome outcome,
                               @RequestParam(required = false) String from,
                               @RequestParam(required = false) String to,
                               @RequestParam(required = false) String zone,
                               @RequestParam(required = false) Integer size,
                               @RequestParam(required = false) String cursor) {
        int limit = Page.size(size);
        TimeWindow window = TimeWindow.parse(from, to, zone);
        List<AttemptView> rows = queries.attempts(partnerId, outcome == null ? null : outcome.name(), window.from(),
                window.to(), position(cursor), limit + 1);
        return Page.of(rows, limit, attempt -> Long.toString(attempt.id()));
    }

    @PostMapping("/records/{id}/replay")
    ReplayReport replayRecord(@PathVariable long id, @RequestParam(defaultValue = "false") boolean dryRun) {
        queries.record(id).orElseThrow(() -> new RecordNotFound(Long.toString(id)));
        return replays.replayRecord(id, dryRun);
    }

    @PostMapping("/files/{id}/replay")
    ReplayReport replayFile(@PathVariable long id, @RequestParam(defaultValue = "false") boolean dryRun) {
        return replays.replayFile(id, dryRun);
    }

    private static Long position(String cursor) {
        String position = Page.decodeCursor(cursor);
        try {
            return position == null ? null : Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("cursor", "is not a cursor this API gave out");
        }
    }
}
