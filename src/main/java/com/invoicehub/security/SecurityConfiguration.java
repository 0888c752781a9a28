package com.invoicehub.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;


import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;

import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.LocalStackMode;

/**
 * Who may do what (CONTRACT §9, narrowed by issue 12): ops by HTTP Basic (or a machine key, {@link MachineKeys}) for
 * everything under /api/v1, the actuator, Hawtio and (read-only) Jolokia; finance by HTTP Basic (or a machine key)
 * reads /api/v1 and the actuator's metrics but changes nothing and has no Hawtio or Jolokia; partners and customers by their API key on what is theirs (each endpoint checks the
 * id it serves). No state change is accepted from another site ({@link CrossSiteRequestFilter}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String OPS = "OPS";
    static final String FINANCE = "FINANCE";

    /** Ops by HTTP Basic: a person, not a machine key ({@link MachineKeys}). */
    private static final AuthorizationManager<RequestAuthorizationContext> OPS_IN_PERSON = (authentication, request) ->
            new AuthorizationDecision(authentication.get() != null && authentication.get().isAuthenticated()
                    && !(authentication.get().getPrincipal() instanceof ApiPrincipal)
                    && authentication.get().getAuthorities().stream()
                            .anyMatch(authority -> ("ROLE_" + OPS).equals(authority.getAuthority())));

    /**
     * The console (/console): people in a browser, so a form login, a session and a CSRF token on every form (Basic
     * stays for the API). Finance reads every page; what changes an invoice, replays records, retries a delivery or
     * shows a secret is ops'. Checked before the API's chain, which answers everything else.
     */
    @Bean
    @Order(1)
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        AccessDeniedHandler denied = (request, response, failure) -> {
            // A form without a valid token is most often one from a session that ended (timeout, restart).
            boolean stale = failure instanceof CsrfException;
            response.setStatus(403);
            response.setContentType(MediaType.TEXT_HTML_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write("""
                    <!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>Not allowed · invoice-hub</title>
                    <meta name="viewport" content="width=device-width, initial-scale=1">
                    <link rel="stylesheet" href="/console/assets/console.css"></head>
                    <body><main><div class="card error" id="denied"><h1>Not done</h1><p>%s</p>
                    <p><a href="%s">%s</a></p></div></main></body></html>""".formatted(stale
                    ? "This form came from a session that has ended (signed out, timed out, or the hub restarted)."
                    : "Your login may look at the console but not do this: it needs the ops role.",
                    stale ? "/console/login" : "/console", stale ? "Sign in again" : "Back to the overview"));
        };
        http
                .securityMatcher("/console", "/console/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/console/login", "/console/assets/**").permitAll()
                        // A replay's dry run re-reads a whole file: it is the first step of an ops action.
                        .requestMatchers(HttpMethod.GET, "/console/files/*/replay", "/console/records/*/replay")
                        .hasRole(OPS)
                        .requestMatchers(HttpMethod.GET, "/console", "/console/**").hasAnyRole(OPS, FINANCE)
                        // Deciding a near-duplicate is finance's work (issue 17), and ops'.
                        .requestMatchers(HttpMethod.POST, "/console/review/**").hasAnyRole(OPS, FINANCE)
                        .anyRequest().hasRole(OPS))
                // Nothing is kept for someone not signed in (sessions live in the shared database): the login form's
                // CSRF token and the page asked for before signing in travel in cookies.
                .csrf(csrf -> csrf.csrfTokenRepository(new CookieCsrfTokenRepository()))
                .requestCache(cache -> cache.requestCache(new CookieRequestCache()))
                .formLogin(form -> form.loginPage("/console/login").defaultSuccessUrl("/console", false)
                        .failureUrl("/console/login?error"))
                .logout(logout -> logout.logoutUrl("/console/logout").logoutSuccessUrl("/console/login?logout"))
                .exceptionHandling(e -> e.accessDeniedHandler(denied))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")));
        return http.build();
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, List<ApiKeyLookup> lookups, HubProperties hub)
            throws Exception {
        AuthenticationEntryPoint entryPoint = (request, response, failure) -> {
            response.setStatus(401);
            response.setHeader("WWW-Authenticate", "Basic realm=\"invoice-hub\"");
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getWriter().write("{\"error\":\"unauthorized\",\"message\":\"missing or wrong credentials\"}");
        };
        AccessDeniedHandler denied = (request, response, failure) -> {
            response.setStatus(403);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getWriter().write("{\"error\":\"forbidden\",\"message\":\"these credentials may not do this\"}");
        };
        http
                // Stateless: Basic or API key on every request, no session cookie, so no CSRF token to check;
                // cross-site state changes are refused by Origin, Sec-Fetch-Site and content type instead.
                .csrf(csrf -> csrf.disable())
                .addFilterAt(new CrossSiteRequestFilter(hub.approval().publicUrl()), CsrfFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.authenticationEntryPoint(entryPoint))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
                .addFilterBefore(new ApiKeyAuthenticationFilter(lookups, entryPoint), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        // Camel's platform-http answers on an async dispatch: the request was authorized already.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/approvals/**", "/error").permitAll()
                        // Jolokia (and Hawtio, which works through it) can reach every MBean: ops only, and
                        // Jolokia itself is read-only (jolokia-access.xml).
                        .requestMatchers("/actuator/jolokia", "/actuator/jolokia/**", "/actuator/hawtio",
                                "/actuator/hawtio/**").access(OPS_IN_PERSON)
                        .requestMatchers(HttpMethod.POST, "/api/v1/partners/*/line-items").hasRole("PARTNER")
                        // What would outlive a leaked machine key's revocation stays with a person.
                        .requestMatchers("/api/v1/machine-keys", "/api/v1/machine-keys/**").access(OPS_IN_PERSON)
                        .requestMatchers(HttpMethod.POST, "/api/v1/partners/*/rotate-credentials")
                        .access(OPS_IN_PERSON)
                        .requestMatchers(HttpMethod.POST, "/api/v1/review/**").hasAnyRole(OPS, FINANCE)
                        // Finance reads (reports, the API); changes are ops' (and a customer's own invoices).
                        .requestMatchers(HttpMethod.GET, "/api/v1/invoices", "/api/v1/invoices/**")
                        .hasAnyRole(OPS, FINANCE, "CUSTOMER")
                        .requestMatchers("/api/v1/invoices", "/api/v1/invoices/**").hasAnyRole(OPS, "CUSTOMER")
                        .requestMatchers(HttpMethod.GET, "/**").hasAnyRole(OPS, FINANCE)
                        .requestMatchers(HttpMethod.HEAD, "/**").hasAnyRole(OPS, FINANCE)
                        .anyRequest().hasRole(OPS));
        return http.build();
    }

    /** BCrypt (ops, finance, partners' SFTP logins), a match remembered briefly: see RememberingPasswordEncoder. */
    @Bean
    PasswordEncoder passwordEncoder(HubProperties hub, java.time.Clock clock) {
        return new RememberingPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder(),
                hub.security().verifiedPasswordTtl(), clock);
    }

    /**
     * The ops user (and a finance user when configured). Without a configured password the local stack makes a
     * random one; a production hub without one refuses to start rather than run with a default.
     */
    @Bean
    UserDetailsService opsUsers(HubProperties hub, PasswordEncoder encoder, LocalStackMode localStack) {
        HubProperties.Security security = hub.security();
        String opsPassword = security.opsPassword();
        if (opsPassword == null || opsPassword.isBlank()) {
            if (!localStack.active()) {
                throw new IllegalStateException("HUB_OPS_PASSWORD (hub.security.ops-password) is not set. "
                        + "Outside the local stack the hub has no default password: set one.");
            }
            opsPassword = localStack.password("ops.password");
            localStack.report("ops", Map.of("user", security.opsUser(), "password", opsPassword));
        } else {
            localStack.report("ops", Map.of("user", security.opsUser(), "password", "(HUB_OPS_PASSWORD)"));
        }
        List<UserDetails> users = new ArrayList<>();
        users.add(User.withUsername(security.opsUser()).password(encoder.encode(opsPassword)).roles(OPS).build());
        if (security.financeUser() != null && !security.financeUser().isBlank()) {
            users.add(User.withUsername(security.financeUser()).password(encoder.encode(security.financePassword()))
                    .roles(FINANCE).build());
        }
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    SecretCipher secretCipher(HubProperties hub, LocalStackMode localStack) {
        String key = hub.security().encryptionKey();
        if (key == null || key.isBlank()) {
            if (!localStack.active()) {
                throw new IllegalStateException("HUB_ENCRYPTION_KEY (hub.security.encryption-key) is not set. "
                        + "Set it to base64 of 32 random bytes (openssl rand -base64 32) and keep it: it decrypts "
                        + "the secrets stored in the database.");
            }
            key = localStack.key("encryption.key");
        }
        return new SecretCipher(key, hub.security().encryptionKeyPrevious(), hub.security().encryptionKeyNext());
    }
}
