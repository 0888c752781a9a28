package com.invoicehub.console;

import java.security.Principal;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.ModelAndView;

/** What the console's pages share: the ops authority, and a page for an address no page answers. */
@Controller
class ConsolePages {

    /** The authority of the ops role (SecurityConfiguration grants it; finance has ROLE_FINANCE). */
    static final String OPS_AUTHORITY = "ROLE_OPS";

    /**
     * Any console address no other mapping answers (more specific patterns win); not the stylesheet's folder, which
     * the static resources serve.
     */
    @GetMapping({"/console/{page:^(?!assets$).+}", "/console/{page:^(?!assets$).+}/**"})
    ModelAndView notFound(Principal principal) {
        return ConsoleAdvice.page(HttpStatus.NOT_FOUND, "There is no such console page.", null, principal);
    }
}
