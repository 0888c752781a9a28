package com.invoicehub.console;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.invoicehub.customers.CustomerRegistry;
import com.invoicehub.ingest.channels.PartnerRouteFiles;
import com.invoicehub.ingest.lookup.IngestQueries;
import com.invoicehub.ingest.lookup.IngestQueries.FileFilter;
import com.invoicehub.invoicing.InvoiceRun;
import com.invoicehub.invoicing.Invoices;
import com.invoicehub.invoicing.Schedules;
import com.invoicehub.partners.PartnerRegistry;

/**
 * Partners (their channel files and the problems in them, recent files, credential rotation) and customers (their
 * delivery choices, schedule with enable/disable/trigger, recent invoices).
 */
@Controller
class PartyPages {

    private static final int LIST = 200;
    private static final int RECENT = 10;

    private final PartnerRegistry partners;
    private final CustomerRegistry customers;
    private final PartnerRouteFiles routeFiles;
    private final IngestQueries ingest;
    private final Schedules schedules;
    private final Invoices invoices;

    PartyPages(PartnerRegistry partners, CustomerRegistry customers, PartnerRouteFiles routeFiles,
               IngestQueries ingest, Schedules schedules, Invoices invoices) {
        this.partners = partners;
        this.customers = customers;
        this.routeFiles = routeFiles;
        this.ingest = ingest;
        this.schedules = schedules;
        this.invoices = invoices;
    }

    @GetMapping("/console/partners")
    String partners(@RequestParam(required = false) String cursor, Model model) {
        model.addAttribute("page", partners.list(LIST, cursor));
        model.addAttribute("routeFiles", routeFiles.states());
        return "console/partners";
    }

    @GetMapping("/console/partners/{id}")
    String partner(@PathVariable String id, Model model) {
        model.addAttribute("partner", partners.get(id));
        model.addAttribute("routeFile", routeFiles.states().stream()
                .filter(state -> state.file().equals(id + ".yaml")).findFirst().orElse(null));
        model.addAttribute("files", ingest.files(new FileFilter(id, null, null, null, null), null, RECENT));
        return "console/partner";
    }

    /** New credentials, shown on this answer only (never stored in a page that could be reloaded or cached). */
    @PostMapping("/console/partners/{id}/rotate-credentials")
    String rotate(@PathVariable String id, Model model, HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        model.addAttribute("issued", partners.rotateCredentials(id));
        return "console/credentials";
    }

    @GetMapping("/console/customers")
    String customers(@RequestParam(required = false) String cursor, Model model) {
        model.addAttribute("page", customers.list(LIST, cursor));
        return "console/customers";
    }

    @GetMapping("/console/customers/{id}")
    String customer(@PathVariable String id, Model model) {
        model.addAttribute("customer", customers.get(id));
        model.addAttribute("schedule", schedules.list().stream().filter(s -> s.customerId().equals(id)).findFirst()
                .orElse(null));
        model.addAttribute("invoices", invoices.list(id, null, null, Long.MAX_VALUE, RECENT));
        return "console/customer";
    }

    @PostMapping("/console/customers/{id}/schedule/{change}")
    String schedule(@PathVariable String id, @PathVariable String change, RedirectAttributes redirect) {
        String notice = switch (change) {
            case "enable" -> {
                schedules.change(id, null, null, true);
                yield "Schedule enabled.";
            }
            case "disable" -> {
                schedules.change(id, null, null, false);
                yield "Schedule disabled.";
            }
            case "trigger" -> {
                InvoiceRun.Result result = schedules.trigger(id);
                yield "Invoice run: " + result.message();
            }
            default -> "Nothing done: " + change + " is not enable, disable or trigger.";
        };
        redirect.addFlashAttribute("notice", notice);
        return "redirect:/console/customers/" + id;
    }
}
