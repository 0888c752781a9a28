package com.invoicehub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;

/** Spring-free: a key is looked up by its own kind first, so a partner's call costs one look-up. */
class ApiKeyAuthenticationFilterTest {

    private final List<String> lookedUp = new ArrayList<>();

    private ApiKeyLookup lookup(String prefix, ApiPrincipal.Kind kind, String ownerId) {
        return new ApiKeyLookup() {
            @Override
            public Optional<ApiPrincipal> findByKeyHash(String keyHash) {
                lookedUp.add(prefix);
                return keyHash.equals(Credentials.hashApiKey(prefix + "_known"))
                        ? Optional.of(new ApiPrincipal(kind, ownerId)) : Optional.empty();
            }

            @Override
            public String keyPrefix() {
                return prefix;
            }
        };
    }

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aKeyIsLookedUpByItsOwnKindFirstAndAnUnknownOneEverywhere() throws Exception {
        ApiKeyAuthenticationFilter filter = new ApiKeyAuthenticationFilter(List.of(
                lookup("ihc", ApiPrincipal.Kind.CUSTOMER, "acme"), lookup("ihp", ApiPrincipal.Kind.PARTNER, "asu")),
                (request, response, failure) -> response.setStatus(401));

        MockHttpServletRequest partnerCall = new MockHttpServletRequest("POST", "/api/v1/partners/asu/line-items");
        partnerCall.addHeader("Authorization", "Bearer ihp_known");
        filter.doFilter(partnerCall, new MockHttpServletResponse(), new MockFilterChain());
        assertThat(lookedUp).containsExactly("ihp");
        assertThat(SecurityContextHolder.getContext().getAuthentication().getPrincipal())
                .isEqualTo(new ApiPrincipal(ApiPrincipal.Kind.PARTNER, "asu"));

        lookedUp.clear();
        MockHttpServletRequest forged = new MockHttpServletRequest("GET", "/api/v1/invoices");
        forged.addHeader("Authorization", "Bearer ihp_unknown");
        MockHttpServletResponse refused = new MockHttpServletResponse();
        filter.doFilter(forged, refused, new MockFilterChain());
        assertThat(lookedUp).containsExactly("ihp", "ihc");
        assertThat(refused.getStatus()).isEqualTo(401);
    }
}
