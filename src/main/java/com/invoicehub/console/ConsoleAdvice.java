package com.invoicehub.console;

import java.security.Principal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

import com.invoicehub.platform.DomainRefusal;

/**
 * What every console page knows (who is signed in, whether they may act) and how a refusal or a failure is shown: as
 * a page with the reason, never the API's JSON. Ordered before the API's handler, which answers everything else.
 */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

    private static final Logger log = LoggerFactory.getLogger(ConsoleAdvice.class);

    @ModelAttribute("user")
    String user(Principal principal) {
        return principal == null ? null : principal.getName();
    }

    /** Ops may act; finance reads (the security chain enforces it, the pages only hide what would be refused). */
    @ModelAttribute("ops")
    boolean ops(Authentication authentication) {
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(authority -> ConsolePages.OPS_AUTHORITY.equals(authority.getAuthority()));
    }

    @ExceptionHandler(DomainRefusal.class)
    ModelAndView refused(DomainRefusal refusal, Principal principal) {
        return page(switch (refusal.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
        }, refusal.getMessage(), refusal.field(), principal);
    }

    /** A filter or id that is not what the page takes, e.g. {@code ?status=BOGUS}. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ModelAndView mismatch(MethodArgumentTypeMismatchException e, Principal principal) {
        Class<?> type = e.getRequiredType();
        String allowed = type != null && type.isEnum() ? "; one of " + java.util.Arrays.toString(type.getEnumConstants())
                : type != null ? " (a " + type.getSimpleName() + ")" : "";
        return page(HttpStatus.BAD_REQUEST, e.getName() + ": '" + e.getValue() + "' is not valid" + allowed, e.getName(),
                principal);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ModelAndView missing(MissingServletRequestParameterException e, Principal principal) {
        return page(HttpStatus.BAD_REQUEST, e.getParameterName() + " is required", e.getParameterName(), principal);
    }

    @ExceptionHandler(Exception.class)
    ModelAndView failed(Exception e, Principal principal) {
        log.error("Console page failed", e);
        return page(HttpStatus.INTERNAL_SERVER_ERROR, "Something failed on the hub's side (" + e.getClass()
                .getSimpleName() + "); it is logged. Try again, or look at the hub's log.", null, principal);
    }

    static ModelAndView page(HttpStatus status, String message, String field, Principal principal) {
        ModelAndView page = new ModelAndView("console/refused");
        page.addObject("message", message);
        page.addObject("field", field);
        page.addObject("user", principal == null ? null : principal.getName());
        page.setStatus(status);
        return page;
    }
}
