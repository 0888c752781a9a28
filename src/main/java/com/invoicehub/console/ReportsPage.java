package com.invoicehub.console;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import com.invoicehub.reporting.FinanceReports;

/**
 * Finance's reports on one page for a window of UTC days (both days included): the match rate, the outstanding spend
 * as of the window's end, and the reconciliation with every difference linked to what it names.
 */
@Controller
class ReportsPage {

    private final FinanceReports reports;
    private final Clock clock;

    ReportsPage(FinanceReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    @GetMapping("/console/reports")
    String reports(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                   @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                   @RequestParam(required = false) String partner, Model model) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate last = to == null ? today : to;
        LocalDate first = from == null ? last.withDayOfMonth(1) : from;
        model.addAttribute("from", first);
        model.addAttribute("to", last);
        if (first.isAfter(last)) {
            model.addAttribute("problem", "The window's first day (" + first + ") is after its last (" + last
                    + "): nothing to show.");
            return "console/reports";
        }
        OffsetDateTime start = first.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime end = last.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        String partnerId = partner == null || partner.isBlank() ? null : partner.trim();
        model.addAttribute("partner", partnerId);
        model.addAttribute("matchRate", reports.matchRate(start, end, partnerId));
        OffsetDateTime asOf = end.isAfter(clock.instant().atOffset(ZoneOffset.UTC))
                ? clock.instant().atOffset(ZoneOffset.UTC) : end;
        model.addAttribute("asOf", asOf);
        List<FinanceReports.Outstanding> outstanding = reports.outstanding(asOf);
        model.addAttribute("spend", OverviewPage.outstandingByState(outstanding));
        model.addAttribute("outstanding", outstanding);
        model.addAttribute("reconciliation", reports.reconciliation(start, end));
        return "console/reports";
    }
}
