package com.invoicehub.ingest.channels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.Yaml;

import com.invoicehub.ingest.mapping.CanonicalJsonMapping;
import com.invoicehub.ingest.mapping.MappingRegistry;
import com.invoicehub.platform.HubProperties;

/**
 * Partners' channel files ({@code routes/partners/<partner>.yaml}), loaded one by one so that a bad file is refused
 * with a clear reason while every other partner keeps running, and rescanned every few seconds: a new file puts the
 * partner live, a changed one replaces its routes, a removed one stops them. No restart, no build.
 * (Camel's own route reload is a development aid that reloads route templates wholesale; it is off by default.)
 */
@Component("partnerRouteFiles")
@NamedInterface("partner-route-files") // the console shows each partner's file and its problem
public class PartnerRouteFiles {

    private static final Logger log = LoggerFactory.getLogger(PartnerRouteFiles.class);
    private static final String WEBHOOK_TEMPLATE = "partner-webhook-source";

    /** A file's state: loaded (with its routes) or refused (with the reason). */
    @NamedInterface("partner-route-files")
    public record FileState(String file, Instant modified, List<String> routeIds, String problem) {
    }

    private final CamelContext camel;
    private final MappingRegistry mappings;
    private final Path directory;
    private final Map<Path, FileState> files = new HashMap<>();
    /** Each partner's JSON mapping, as its webhook channel declares it (webhook calls and SQS messages read with it). */
    private final Map<String, String> jsonMappings = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean scanned;

    PartnerRouteFiles(CamelContext camel, MappingRegistry mappings, HubProperties hub) {
        this.camel = camel;
        this.mappings = mappings;
        this.directory = Path.of(hub.routesDir(), "partners");
    }

    /** Loads new and changed files, stops the routes of removed ones; answers every file's state. */
    public synchronized List<FileState> scan() {
        Map<Path, Instant> present = new TreeMap<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> listing = Files.list(directory)) {
                for (Path file : listing.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList()) {
                    present.put(file, Files.getLastModifiedTime(file).toInstant());
                }
            } catch (IOException e) {
                log.error("Cannot list partner route files in {}", directory, e);
                return states();
            }
        }
        for (Path gone : new ArrayList<>(files.keySet())) {
            if (!present.containsKey(gone)) {
                stop(files.remove(gone).routeIds());
                jsonMappings.remove(partnerOf(gone));
                log.info("Partner file {} removed: its routes are stopped", gone.getFileName());
            }
        }
        present.forEach((file, modified) -> {
            FileState known = files.get(file);
            if (known == null || !known.modified().equals(modified)) {
                files.put(file, load(file, modified, known));
            }
        });
        scanned = true;
        return states();
    }

    /**
     * Whether the files have been read once since the start: before that a partner's webhook path has no route yet
     * (the web server opens before Camel starts), and a call to it must hear "retry shortly", not 404.
     */
    public boolean scannedOnce() {
        return scanned;
    }

    /** The JSON mapping a partner's webhook calls and SQS messages are read with: canonical JSON unless declared. */
    public String jsonMappingOf(String partnerId) {
        return jsonMappings.getOrDefault(partnerId, CanonicalJsonMapping.NAME);
    }

    private static String partnerOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".yaml".length());
    }

    public synchronized List<FileState> states() {
        return files.values().stream().sorted(java.util.Comparator.comparing(FileState::file)).toList();
    }

    private FileState load(Path file, Instant modified, FileState previous) {
        String name = file.getFileName().toString();
        String partner = partnerOf(file);
        List<String> previousRoutes = previous == null ? List.of() : previous.routeIds();
        String text;
        List<String> routeIds;
        Map<String, String> declaredJson = new HashMap<>();
        try {
            text = Files.readString(file);
            routeIds = check(partner, text, declaredJson);
        } catch (IOException | RuntimeException e) {
            String problem = name + " refused: " + e.getMessage();
            log.error("{}{}", problem, previousRoutes.isEmpty() ? "" : " (its earlier routes keep running)");
            return new FileState(name, modified, previousRoutes, problem);
        }
        stop(previousRoutes);
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("file:" + file, text));
        } catch (Exception e) {
            stop(routeIds);
            String problem = name + " refused: " + rootMessage(e);
            log.error(problem);
            return new FileState(name, modified, List.of(), problem);
        }
        jsonMappings.put(partner, declaredJson.getOrDefault(partner, CanonicalJsonMapping.NAME));
        log.info("Partner file {} loaded: {}", name, routeIds);
        return new FileState(name, modified, routeIds, null);
    }

    /**
     * What the file declares, checked before Camel sees it: only templated routes of known templates, route ids
     * starting with the partner's id, and known mappings. Answers the route ids.
     */
    @SuppressWarnings("unchecked")
    private List<String> check(String partner, String text, Map<String, String> declaredJson) {
        Object parsed = new Yaml().load(text);
        if (!(parsed instanceof List<?> entries) || entries.isEmpty()) {
            throw new IllegalArgumentException("expected a list of templatedRoute entries");
        }
        Set<String> templates = ((ModelCamelContext) camel).getRouteTemplateDefinitions().stream()
                .map(RouteTemplateDefinition::getId).collect(Collectors.toCollection(java.util.TreeSet::new));
        List<String> routeIds = new ArrayList<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> map) || !(map.get("templatedRoute") instanceof Map<?, ?> route)) {
                throw new IllegalArgumentException("only templatedRoute entries are allowed (parameters only, no "
                        + "logic): found " + entry);
            }
            String template = String.valueOf(route.get("routeTemplateRef"));
            if (!templates.contains(template)) {
                throw new IllegalArgumentException("unknown template '" + template + "'; known: " + templates);
            }
            String routeId = String.valueOf(route.get("routeId"));
            if (!routeId.startsWith(partner + "-")) {
                throw new IllegalArgumentException("routeId '" + routeId + "' must start with '" + partner + "-'");
            }
            Map<String, Object> parameters = new LinkedHashMap<>();
            if (route.get("parameters") instanceof List<?> list) {
                for (Object parameter : list) {
                    Map<String, Object> p = (Map<String, Object>) parameter;
                    parameters.put(String.valueOf(p.get("name")), p.get("value"));
                }
            }
            if (!partner.equals(parameters.get("partnerId"))) {
                throw new IllegalArgumentException("parameter partnerId must be '" + partner + "' (the file name)");
            }
            Object mapping = parameters.get("mapping");
            if (mapping != null && mappings.find(String.valueOf(mapping)).isEmpty()) {
                throw new IllegalArgumentException("unknown mapping '" + mapping + "'; known: " + mappings.names());
            }
            if (WEBHOOK_TEMPLATE.equals(template) && mapping != null) {
                if (!mappings.readsJson(String.valueOf(mapping))) {
                    throw new IllegalArgumentException("mapping '" + mapping + "' does not read JSON; a webhook takes "
                            + CanonicalJsonMapping.NAME + " or a partner JSON mapping (mappings/json/)");
                }
                declaredJson.put(partner, String.valueOf(mapping));
            }
            routeIds.add(routeId);
        }
        return routeIds;
    }

    private void stop(List<String> routeIds) {
        for (String id : routeIds) {
            Route route = camel.getRoute(id);
            if (route == null) {
                continue;
            }
            try {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            } catch (Exception e) {
                log.error("Cannot stop route {}", id, e);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
