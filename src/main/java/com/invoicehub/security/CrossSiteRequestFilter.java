package com.invoicehub.security;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What stands in for CSRF tokens on a hub without sessions: a browser holding ops' Basic credentials must not be
 * made to change anything by another site, nor to read Jolokia for it. A state change (POST, PUT, PATCH, DELETE)
 * under {@code /api/}, {@code /actuator/} and {@code /approvals/}, and any request to {@code /actuator/jolokia}, is
 * refused (403) when
 * <ul>
 * <li>the browser says it comes from another site ({@code Sec-Fetch-Site: cross-site} or {@code same-site}), or</li>
 * <li>it is not {@code Sec-Fetch-Site: same-origin} and its {@code Origin} is not the hub's own (the host it was
 *     sent to, or {@code hub.approval.public-url}); {@code Origin: null} (a sandboxed frame, a data: page) is
 *     foreign too, or</li>
 * <li>it has no {@code Origin} and its {@code Referer} is another site's page, or</li>
 * <li>it is sent with Basic credentials, does not show it comes from the hub's own pages ({@code Origin} or
 *     {@code Sec-Fetch-Site: same-origin}) and has a body type a plain HTML form or a no-CORS fetch can send
 *     (form, multipart, text/plain) without the custom header {@value #CUSTOM_HEADER}.</li>
 * </ul>
 * API clients are not browsers: curl and server-to-server calls send no {@code Origin}; a JSON body (or a file as
 * {@code application/octet-stream}) cannot be sent cross-site without a CORS preflight, which the hub never grants.
 * Partner webhooks (Bearer key, signed) pass. The approval page's forms carry the link's own signed token in their
 * address, and same-origin posts pass the checks above.
 */
final class CrossSiteRequestFilter extends OncePerRequestFilter {

    static final String CUSTOM_HEADER = "X-Requested-By";

    private static final String JOLOKIA = "/actuator/jolokia";

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> FORM_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain");

    private final String publicOrigin;

    CrossSiteRequestFilter(String publicUrl) {
        this.publicOrigin = publicUrl == null || publicUrl.isBlank() ? null : origin(publicUrl.trim());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith(JOLOKIA)) {
            return false; // reads too: Jolokia answers CORS requests, so another site could read every MBean
        }
        if (!STATE_CHANGING.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            return true;
        }
        return !(path.startsWith("/api/") || path.startsWith("/actuator/") || path.startsWith("/approvals/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = refusal(request);
        if (refusal != null) {
            response.setStatus(403);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setHeader("Cache-Control", "no-store");
            response.getWriter().write("{\"error\":\"cross_site_request\",\"message\":\"" + refusal + "\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why the request is refused (plain ASCII, no quotes), or null when it may go on. */
    String refusal(HttpServletRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && (fetchSite.equalsIgnoreCase("cross-site") || fetchSite.equalsIgnoreCase("same-site"))) {
            return "a state change sent from another site (Sec-Fetch-Site: " + ascii(fetchSite) + ") is refused";
        }
        if ("same-origin".equalsIgnoreCase(fetchSite)) {
            return null; // a page's script cannot set this header
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null) {
            if (!isOwn(origin, request)) {
                return "a request from the foreign origin " + ascii(origin) + " is refused";
            }
            return null;
        }
        String referer = request.getHeader(HttpHeaders.REFERER);
        if (referer != null && !isOwn(referer, request)) {
            return "a request from the foreign page " + ascii(String.valueOf(origin(referer.trim())))
                    + " is refused";
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        if (basic && isFormType(request.getContentType()) && request.getHeader(CUSTOM_HEADER) == null) {
            return "a state change with Basic credentials must be sent as application/json or with the header "
                    + CUSTOM_HEADER + " (a form body from a browser is refused)";
        }
        return null;
    }

    private boolean isOwn(String origin, HttpServletRequest request) {
        String normalized = origin(origin.trim());
        if (normalized == null) {
            return false; // "null", or not a URL at all
        }
        if (normalized.equals(publicOrigin)) {
            return true;
        }
        String host = request.getHeader(HttpHeaders.HOST);
        if (host == null) {
            return false;
        }
        String sameHost = origin(request.getScheme() + "://" + host.trim());
        return normalized.equals(sameHost);
    }

    /** scheme://host[:port] in lower case, the default port left out; null when it is not an http(s) URL. */
    static String origin(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
                return null;
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80)
                    || ("https".equals(scheme) && port == 443);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isFormType(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        return FORM_TYPES.contains(type);
    }

    private static String ascii(String value) {
        String cleaned = value.replaceAll("[^A-Za-z0-9:/._-]", "?");
        return cleaned.length() > 100 ? cleaned.substring(0, 100) : cleaned;
    }
}
