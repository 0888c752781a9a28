package com.invoicehub.approval;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

import com.invoicehub.invoicing.ReasonRequired;
import com.invoicehub.platform.DomainRefusal;
import com.invoicehub.platform.ReadersLocale;

/**
 * The page an approval link opens: server rendered, plain forms (no JavaScript), readable on a phone. Opening the
 * link never decides anything (mail scanners open links); only the form's POST does. A dead link answers 410 with
 * the reason (a revoked one too: its approver is no longer asked), a forged one 404.
 */
@Controller
class ApprovalPageController {

    private final ApprovalRequests requests;

    ApprovalPageController(ApprovalRequests requests) {
        this.requests = requests;
    }

    /** {@code ?decided}: where a decision redirects to, so a refresh shows the outcome again instead of re-posting. */
    @GetMapping("/approvals/{token}")
    String page(@PathVariable String token, @RequestParam(required = false) String decided, Model model,
                HttpServletRequest request, HttpServletResponse response) {
        ApprovalRequests.View view = requests.view(token);
        boolean thisLinkDecided = decided != null && view.state() == ApprovalRequests.State.USED;
        model.addAttribute("moneyLocale", readersLocale(request));
        return render(view, token, null, thisLinkDecided, model, response);
    }

    @PostMapping("/approvals/{token}/approve")
    ModelAndView approve(@PathVariable String token, Model model, HttpServletRequest request,
                         HttpServletResponse response) {
        return decide(token, true, null, model, request, response);
    }

    @PostMapping("/approvals/{token}/deny")
    ModelAndView deny(@PathVariable String token, @RequestParam(required = false) String reason, Model model,
                      HttpServletRequest request, HttpServletResponse response) {
        return decide(token, false, reason, model, request, response);
    }

    static Locale readersLocale(HttpServletRequest request) {
        return ReadersLocale.of(request);
    }

    private ModelAndView decide(String token, boolean approve, String reason, Model model,
                                HttpServletRequest request, HttpServletResponse response) {
        model.addAttribute("moneyLocale", readersLocale(request));
        try {
            ApprovalRequests.View view = requests.decide(token, approve, reason);
            if (!view.decidedNow()) {
                return new ModelAndView(render(view, token, null, false, model, response));
            }
            privateHeaders(response);
            RedirectView outcome = new RedirectView("/approvals/" + token + "?decided", true);
            outcome.setStatusCode(HttpStatus.SEE_OTHER);
            outcome.setExposeModelAttributes(false);
            return new ModelAndView(outcome);
        } catch (DomainRefusal e) {
            // A missing reason re-shows the form with the error; anything else (decided meanwhile) shows the page
            // as it now is.
            String error = e instanceof ReasonRequired ? "Please say why you deny this invoice." : null;
            if (error != null) {
                response.setStatus(HttpStatus.BAD_REQUEST.value());
            }
            return new ModelAndView(render(requests.view(token), token, error, false, model, response));
        }
    }

    /**
     * The token is the approver's credential: keep it out of caches and out of Referer headers sent elsewhere
     * ({@code same-origin} also lets the page's own form posts carry its Origin, which the cross-site check wants).
     */
    private static void privateHeaders(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                + "form-action 'self'; frame-ancestors 'none'");
    }

    private String render(ApprovalRequests.View view, String token, String error, boolean justDecided, Model model,
                          HttpServletResponse response) {
        privateHeaders(response);
        if (error == null && !justDecided) {
            switch (view.state()) {
                case INVALID -> response.setStatus(HttpStatus.NOT_FOUND.value());
                case USED, DECIDED, EXPIRED, REVOKED -> response.setStatus(HttpStatus.GONE.value());
                default -> response.setStatus(HttpStatus.OK.value());
            }
        }
        model.addAttribute("view", view);
        model.addAttribute("doc", view.document());
        model.addAttribute("lineItems", view.lineItems());
        model.addAttribute("token", token);
        model.addAttribute("error", error);
        model.addAttribute("justDecided", justDecided);
        return "approval/page";
    }
}
