package com.invoicehub.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code Authorization: Bearer <api key>} of a partner or customer; an unknown key answers 401 at once. */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final List<ApiKeyLookup> lookups;
    private final AuthenticationEntryPoint entryPoint;

    ApiKeyAuthenticationFilter(List<ApiKeyLookup> lookups, AuthenticationEntryPoint entryPoint) {
        this.lookups = lookups;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            chain.doFilter(request, response);
            return;
        }
        String key = header.substring(BEARER.length()).trim();
        String hash = Credentials.hashApiKey(key);
        // The key's own kind first (its prefix): a partner's webhook call is one look-up, not one per kind.
        Optional<ApiPrincipal> principal = lookups.stream()
                .sorted(java.util.Comparator.comparing(lookup -> !key.startsWith(lookup.keyPrefix() + "_")))
                .map(lookup -> lookup.findByKeyHash(hash))
                .flatMap(Optional::stream)
                .findFirst();
        if (principal.isEmpty()) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(request, response, new BadCredentialsException("unknown API key"));
            return;
        }
        UsernamePasswordAuthenticationToken authentication = UsernamePasswordAuthenticationToken.authenticated(
                principal.get(), null, List.of(new SimpleGrantedAuthority("ROLE_" + principal.get().role())));
        SecurityContextHolder.getContext().setAuthentication(authentication);
        chain.doFilter(request, response);
    }
}
