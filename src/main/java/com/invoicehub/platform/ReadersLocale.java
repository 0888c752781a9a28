package com.invoicehub.platform;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.support.RequestContextUtils;

import com.invoicehub.shared.Money;

/** The locale a person's page shows amounts and numbers in (the approval page, the console). */
public final class ReadersLocale {

    private ReadersLocale() {
    }

    /**
     * The browser's (Accept-Language, through Spring's LocaleResolver). Without that header the resolver answers the
     * server's default locale, so the page would change with the machine the hub runs on; then, and for a header
     * naming no language, en-US, the language the pages are written in.
     */
    public static Locale of(HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.ACCEPT_LANGUAGE) == null) {
            return Money.DISPLAY_FALLBACK;
        }
        Locale locale = RequestContextUtils.getLocale(request);
        return locale.getLanguage().isEmpty() ? Money.DISPLAY_FALLBACK : locale;
    }
}
