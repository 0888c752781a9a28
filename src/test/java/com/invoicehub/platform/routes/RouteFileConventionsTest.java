package com.invoicehub.platform.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

class RouteFileConventionsTest {

    private static final String ROUTE = """
            - route:
                id: %s
                from:
                  uri: direct:in
                  steps:
                    - log: "hello"
            """;

    @Test
    void routeIdMustBeTheFileName() throws Exception {
        try (CamelContext context = contextWith("file:routes/ops/heartbeat.yaml", ROUTE.formatted("something-else"))) {
            assertThatThrownBy(() -> new RouteFileConventions().afterApplicationStart(context))
                    .hasMessageContaining("something-else")
                    .hasMessageContaining("heartbeat.yaml")
                    .hasMessageContaining("'heartbeat'");
        }
        try (CamelContext context = contextWith("file:routes/ops/heartbeat.yaml", ROUTE.formatted("heartbeat"))) {
            new RouteFileConventions().afterApplicationStart(context);
            assertThat(context.getRoute("heartbeat")).isNotNull();
        }
    }

    @Test
    void aRouteFileThatFailsToParseIsReportedByNameAndLine() throws Exception {
        String broken = """
                - route:
                    id: broken
                    from:
                      uri: direct:in
                      steps:
                        - lgo: "typo"
                """;
        try (CamelContext context = new DefaultCamelContext()) {
            assertThatThrownBy(() -> PluginHelper.getRoutesLoader(context)
                    .loadRoutes(ResourceHelper.fromString("file:routes/ops/broken.yaml", broken)))
                    .hasStackTraceContaining("broken.yaml")
                    .hasStackTraceContaining("line 6");
        }
    }

    private static CamelContext contextWith(String location, String yaml) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.setSourceLocationEnabled(true);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString(location, yaml));
        context.start();
        return context;
    }
}
