package com.invoicehub.console;

import java.security.Principal;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;

import com.invoicehub.platform.DomainRefusal;

/**
 * What every console page knows (who is signed in, whether they may act) and how a refused action is shown: as a
 * page with the service's own message, not the API's JSON.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
class ConsoleAdvice {

    @ModelAttribute("user")
    String user(Principal principal) {
        return principal == null ? null : principal.getName();
    }

    /** Ops may act; finance reads (the security chain enforces it, the pages only hide what would be refused). */
    @ModelAttribute("ops")
    boolean ops(Authentication authentication) {
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(authority -> "ROLE_OPS".equals(authority.getAuthority()));
    }

    @ExceptionHandler(DomainRefusal.class)
    ModelAndView refused(DomainRefusal refusal, Principal principal) {
        ModelAndView page = new ModelAndView("console/refused");
        page.addObject("message", refusal.getMessage());
        page.addObject("field", refusal.field());
        page.addObject("user", principal == null ? null : principal.getName());
        page.setStatus(switch (refusal.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
        });
        return page;
    }
}
