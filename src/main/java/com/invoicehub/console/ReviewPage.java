package com.invoicehub.console;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.invoicehub.ledger.NearDuplicates;
import com.invoicehub.platform.audit.AuditLog;

/** The near-duplicate review queue (issue 17): each flagged item beside its twin; finance or ops decide. */
@Controller
class ReviewPage {

    private final NearDuplicates nearDuplicates;

    ReviewPage(NearDuplicates nearDuplicates) {
        this.nearDuplicates = nearDuplicates;
    }

    @GetMapping("/console/review")
    String queue(@RequestParam(defaultValue = "PENDING") NearDuplicates.State state,
                 @RequestParam(required = false) Long before, Model model) {
        Listing<NearDuplicates.Review> page = Listing.of(nearDuplicates.list(state,
                before == null ? Long.MAX_VALUE : before, Listing.SIZE + 1), NearDuplicates.Review::lineItemId);
        model.addAttribute("reviews", page.rows());
        model.addAttribute("next", page.next());
        model.addAttribute("state", state);
        model.addAttribute("states", NearDuplicates.State.values());
        return "console/review";
    }

    @PostMapping("/console/review/{lineItemId}/confirm")
    String confirm(@PathVariable long lineItemId, RedirectAttributes redirect) {
        nearDuplicates.confirm(lineItemId, AuditLog.currentActor());
        redirect.addFlashAttribute("notice", "Item " + lineItemId + " confirmed: the next invoice run bills it.");
        return "redirect:/console/review";
    }

    @PostMapping("/console/review/{lineItemId}/dismiss")
    String dismiss(@PathVariable long lineItemId, @RequestParam(required = false) String reason,
                   RedirectAttributes redirect) {
        nearDuplicates.dismiss(lineItemId, AuditLog.currentActor(), reason);
        redirect.addFlashAttribute("notice", "Item " + lineItemId + " dismissed: kept, never billed.");
        return "redirect:/console/review";
    }
}
