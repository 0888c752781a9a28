package com.invoicehub.ledger;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.platform.api.Page;
import com.invoicehub.platform.audit.AuditLog;

import io.swagger.v3.oas.annotations.tags.Tag;

/** The near-duplicate review queue (issue 17): finance (or ops) confirms or dismisses each flagged item. */
@Tag(name = ApiTags.INVOICES)
@RestController
@RequestMapping("/api/v1/review")
class ReviewController {

    private final NearDuplicates nearDuplicates;

    ReviewController(NearDuplicates nearDuplicates) {
        this.nearDuplicates = nearDuplicates;
    }

    record Dismissal(String reason) {
    }

    @GetMapping
    Page<NearDuplicates.Review> queue(@RequestParam(defaultValue = "PENDING") NearDuplicates.State state,
                                      @RequestParam(required = false) Integer size,
                                      @RequestParam(required = false) String cursor) {
        int limit = Page.size(size);
        return Page.of(nearDuplicates.list(state, Page.beforeId(cursor), limit + 1), limit,
                review -> Long.toString(review.lineItemId()));
    }

    @PostMapping("/{lineItemId}/confirm")
    NearDuplicates.Review confirm(@PathVariable long lineItemId) {
        nearDuplicates.confirm(lineItemId, AuditLog.currentActor());
        return nearDuplicates.get(lineItemId);
    }

    @PostMapping("/{lineItemId}/dismiss")
    NearDuplicates.Review dismiss(@PathVariable long lineItemId, @RequestBody(required = false) Dismissal dismissal) {
        nearDuplicates.dismiss(lineItemId, AuditLog.currentActor(), dismissal == null ? null : dismissal.reason());
        return nearDuplicates.get(lineItemId);
    }
}
