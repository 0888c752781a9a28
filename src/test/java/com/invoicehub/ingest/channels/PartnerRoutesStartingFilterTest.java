package com.invoicehub.ingest.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** A webhook call to a node still starting hears "retry shortly" (503), never the final-sounding 404. */
class PartnerRoutesStartingFilterTest {

    private final PartnerRouteFiles routeFiles = mock(PartnerRouteFiles.class);
    private final PartnerRoutesStartingFilter filter = new PartnerRoutesStartingFilter(routeFiles);

    @Test
    void beforeThePartnerFilesAreReadAWebhookCallIsAskedToRetry() throws Exception {
        when(routeFiles.scannedOnce()).thenReturn(false);
        MockHttpServletResponse response = call("/api/v1/partners/asu-online/line-items");
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentAsString()).contains("\"error\":\"starting\"");

        assertThat(call("/api/v1/customers").getStatus()).isEqualTo(299); // everything else passes
    }

    @Test
    void onceTheyAreReadEveryCallPasses() throws Exception {
        when(routeFiles.scannedOnce()).thenReturn(true);
        assertThat(call("/api/v1/partners/asu-online/line-items").getStatus()).isEqualTo(299);
    }

    /** The answer, with status 299 when the call was passed on down the chain (so "passed" is never the default). */
    private MockHttpServletResponse call(String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        if (chain.getRequest() != null) {
            response.setStatus(299);
        }
        return response;
    }
}
