package com.invoicehub.ingest.mapping;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/**
 * Every mapping the hub knows, by the name partner route files use: the layouts written in Java (beans, fixed for
 * the life of the hub) and the partner JSON shapes written as data ({@link PartnerJsonMappingFiles}, replaced as
 * their files change).
 */
@Component
public class MappingRegistry {

    private final Map<String, PartnerMapping> built;
    private volatile Map<String, PartnerMapping> loaded = Map.of();

    MappingRegistry(List<PartnerMapping> mappings) {
        this.built = Collections.unmodifiableMap(mappings.stream()
                .collect(Collectors.toMap(PartnerMapping::name, Function.identity(), (a, b) -> {
                    throw new IllegalStateException("two mappings are named " + a.name());
                }, TreeMap::new)));
    }

    public Optional<PartnerMapping> find(String name) {
        PartnerMapping mapping = built.get(name);
        return Optional.ofNullable(mapping != null ? mapping : loaded.get(name));
    }

    public PartnerMapping require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown mapping '" + name + "'; known: " + String.join(", ", names())));
    }

    public Set<String> names() {
        Set<String> names = new TreeSet<>(built.keySet());
        names.addAll(loaded.keySet());
        return names;
    }

    /** Whether {@code name} reads JSON bodies (webhooks, SQS): the canonical JSON or a partner's own shape. */
    public boolean readsJson(String name) {
        return CanonicalJsonMapping.NAME.equals(name) || loaded.get(name) instanceof PartnerJsonMapping;
    }

    boolean isBuiltIn(String name) {
        return built.containsKey(name);
    }

    /** The partner JSON shapes now loaded from files, replacing the earlier ones. */
    void replaceLoaded(Map<String, PartnerMapping> mappings) {
        this.loaded = Map.copyOf(mappings);
    }
}
