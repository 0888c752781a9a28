package com.invoicehub.explain;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.security.ApiPrincipal;

import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /api/v1/invoices/{id}/lines/{n}/explain}: ops and finance for any invoice, a customer's key for its own
 * only (another's answers 404 like every invoice endpoint). The security chain's {@code GET /api/v1/invoices/**}
 * rule lets exactly these callers in.
 */
@RestController
class LineExplanationController {

    private final LineExplanations explanations;

    LineExplanationController(LineExplanations explanations) {
        this.explanations = explanations;
    }

    @Tag(name = ApiTags.INVOICES)
    @GetMapping("/api/v1/invoices/{id}/lines/{n}/explain")
    LineExplanation explain(@PathVariable long id, @PathVariable int n, Authentication caller) {
        return explanations.explain(id, n, ApiPrincipal.customerIdOf(caller));
    }
}
