package com.invoicehub.reporting;

import java.time.Clock;
import java.time.OffsetDateTime;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.platform.api.Page;
import com.invoicehub.platform.api.TimeWindow;

import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * CONTRACT §8: finance reports (ops and finance). Windows are [from, to); each bound and {@code asOf} a date or an
 * ISO-8601 timestamp with offset, read by {@link TimeWindow}; without {@code to} a window ends now.
 */
@Tag(name = ApiTags.REPORTS)
@RestController
@RequestMapping("/api/v1/reports")
class ReportsController {

    private final FinanceReports reports;
    private final Clock clock;

    ReportsController(FinanceReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    @GetMapping("/match-rate")
    FinanceReports.MatchRate matchRate(@RequestParam String from, @RequestParam(required = false) String to,
                                       @RequestParam(required = false) String zone,
                                       @RequestParam(required = false) String partnerId) {
        TimeWindow window = TimeWindow.parse(from, to, zone).endingNowIfOpen(OffsetDateTime.now(clock));
        return reports.matchRate(window.from(), window.to(), partnerId);
    }

    @GetMapping("/outstanding")
    Page<FinanceReports.Outstanding> outstanding(@RequestParam(required = false) String asOf,
                                                 @RequestParam(required = false) String zone) {
        OffsetDateTime at = asOf == null ? OffsetDateTime.now(clock) : TimeWindow.asOf(asOf, zone);
        return new Page<>(reports.outstanding(at), null);
    }

    @GetMapping("/reconciliation")
    FinanceReports.Reconciliation reconciliation(@RequestParam String from, @RequestParam(required = false) String to,
                                                 @RequestParam(required = false) String zone) {
        TimeWindow window = TimeWindow.parse(from, to, zone).endingNowIfOpen(OffsetDateTime.now(clock));
        return reports.reconciliation(window.from(), window.to());
    }
}
