package com.invoicehub.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's sign-in form; Spring Security's form login takes the POST (with its CSRF token). */
@Controller
class LoginPage {

    @GetMapping("/console/login")
    String login() {
        return "console/login";
    }
}
