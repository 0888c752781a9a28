package com.invoicehub.platform.routes;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * Holds the routes/ folder to its rule: one route per file, route id == file name. Routes a partner file makes
 * from our templates may add a suffix ({@code <file>-sftp}). A route breaking the rule stops start-up by name.
 */
@Component
class RouteFileConventions implements CamelContextConfiguration {

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.setSourceLocationEnabled(true);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        List<String> problems = new ArrayList<>();
        for (Route route : camelContext.getRoutes()) {
            String fileName = fileName(route);
            if (fileName == null) {
                continue;
            }
            boolean fromTemplate = route.getProperties().get(Route.TEMPLATE_PROPERTY) != null;
            String id = route.getRouteId();
            if (!id.equals(fileName) && !(fromTemplate && id.startsWith(fileName + "-"))) {
                problems.add("route '" + id + "' in " + route.getSourceResource().getLocation()
                        + " must have the id '" + fileName + "' (route id == file name)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    private static String fileName(Route route) {
        if (route.getSourceResource() == null || route.getSourceResource().getLocation() == null) {
            return null;
        }
        String location = route.getSourceResource().getLocation();
        if (!location.endsWith(".yaml")) {
            return null;
        }
        String name = location.substring(Math.max(location.lastIndexOf('/'), location.lastIndexOf(':')) + 1);
        return name.substring(0, name.length() - ".yaml".length());
    }
}
