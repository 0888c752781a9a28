package com.invoicehub.ingest.channels;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A partner's webhook call that arrives while the hub is starting (the HTTP port opens before Camel has started and
 * read the partner files, so the partner's route does not exist yet) answers 503 with {@code Retry-After}, which a
 * sender retries, instead of a 404, which it takes as final: a restarted node loses no call.
 */
@Component
class PartnerRoutesStartingFilter extends OncePerRequestFilter {

    private static final org.springframework.web.util.UrlPathHelper DECODED_PATHS =
            new org.springframework.web.util.UrlPathHelper();
    private static final Pattern PARTNER_WEBHOOK = Pattern.compile("/api/v1/partners/[^/]+/line-items/?");
    static final int RETRY_AFTER_SECONDS = 5;

    private final PartnerRouteFiles routeFiles;

    PartnerRoutesStartingFilter(PartnerRouteFiles routeFiles) {
        this.routeFiles = routeFiles;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return routeFiles.scannedOnce() || !PARTNER_WEBHOOK.matcher(request.getRequestURI()).matches()
                && !PARTNER_WEBHOOK.matcher(DECODED_PATHS.getPathWithinApplication(request)).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"error\":\"starting\",\"message\":\"the hub is starting and has not loaded the "
                + "partner routes yet; retry in " + RETRY_AFTER_SECONDS + " seconds\"}");
    }
}
