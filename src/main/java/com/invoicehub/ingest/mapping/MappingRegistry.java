package com.invoicehub.ingest.mapping;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/** Every mapping the hub knows, by the name partner route files use. */
@Component
public class MappingRegistry {

    private final Map<String, PartnerMapping> mappings;

    MappingRegistry(List<PartnerMapping> mappings) {
        this.mappings = mappings.stream()
                .collect(Collectors.toMap(PartnerMapping::name, Function.identity(), (a, b) -> {
                    throw new IllegalStateException("two mappings are named " + a.name());
                }, TreeMap::new));
    }

    public Optional<PartnerMapping> find(String name) {
        return Optional.ofNullable(mappings.get(name));
    }

    public PartnerMapping require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown mapping '" + name + "'; known: " + String.join(", ", mappings.keySet())));
    }

    public java.util.Set<String> names() {
        return mappings.keySet();
    }
}
