package com.invoicehub.console;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

import com.invoicehub.explain.LineExplanations;

/**
 * One invoice line explained (issue 17), for ops and finance: every item behind the line, from the partner's row
 * through every attempt and replay to the amount billed. The same service as {@code GET /api/v1/invoices/{id}/lines/{n}/explain}.
 */
@Controller
class LineExplanationPage {

    private final LineExplanations explanations;

    LineExplanationPage(LineExplanations explanations) {
        this.explanations = explanations;
    }

    @GetMapping("/console/invoices/{id}/lines/{n}")
    String line(@PathVariable long id, @PathVariable int n, Model model) {
        model.addAttribute("explanation", explanations.explain(id, n, null));
        return "console/invoice-line";
    }
}
