package com.invoicehub.reporting;

import java.time.OffsetDateTime;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.platform.api.ApiException;
import com.invoicehub.platform.api.Page;

/** CONTRACT §8: finance reports (ops and finance). Times are ISO-8601 with offset; windows are [from, to). */
@RestController
@RequestMapping("/api/v1/reports")
class ReportsController {

    private final FinanceReports reports;

    ReportsController(FinanceReports reports) {
        this.reports = reports;
    }

    @GetMapping("/match-rate")
    FinanceReports.MatchRate matchRate(
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
            @RequestParam(required = false) String partnerId) {
        requireOrder(from, to);
        return reports.matchRate(from, to, partnerId);
    }

    @GetMapping("/outstanding")
    Page<FinanceReports.Outstanding> outstanding(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime asOf) {
        return new Page<>(reports.outstanding(asOf == null ? OffsetDateTime.now() : asOf), null);
    }

    @GetMapping("/reconciliation")
    FinanceReports.Reconciliation reconciliation(
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to) {
        requireOrder(from, to);
        return reports.reconciliation(from, to);
    }

    private static void requireOrder(OffsetDateTime from, OffsetDateTime to) {
        if (!from.isBefore(to)) {
            throw ApiException.invalid("to", "must be after from");
        }
    }
}
