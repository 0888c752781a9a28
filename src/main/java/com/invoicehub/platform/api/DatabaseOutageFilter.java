package com.invoicehub.platform.api;

import java.io.IOException;

import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

import com.invoicehub.platform.DatabaseAvailability;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * In front of everything under {@code /api/} (the security filters included, since an API key is looked up in the
 * database): while the database is known to be unreachable, answer 503 + Retry-After at once instead of letting the
 * call wait for the pool; and a database failure thrown by a filter (the API key look-up) is answered the same way
 * rather than as a 500. Failures inside controllers are answered by {@link ApiExceptionHandler}, inside Camel routes
 * by their route configuration.
 */
class DatabaseOutageFilter extends OncePerRequestFilter {

    private final DatabaseAvailability database;
    private final DatabaseUnavailable unavailable;

    DatabaseOutageFilter(DatabaseAvailability database, DatabaseUnavailable unavailable) {
        this.database = database;
        this.unavailable = unavailable;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!database.isAvailable()) {
            unavailable.write(response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException e) {
            if (!DatabaseAvailability.isUnavailable(e) || response.isCommitted()) {
                throw e;
            }
            unavailable.noteFailure(e);
            unavailable.write(response);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FilterRegistrationBean<DatabaseOutageFilter> databaseOutageFilter(DatabaseAvailability database,
                                                                          DatabaseUnavailable unavailable) {
            FilterRegistrationBean<DatabaseOutageFilter> registration =
                    new FilterRegistrationBean<>(new DatabaseOutageFilter(database, unavailable));
            registration.addUrlPatterns("/api/*");
            // before Spring Security's chain, which looks API keys up in the database
            registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 10);
            return registration;
        }
    }
}
