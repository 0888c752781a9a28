package com.invoicehub.ingest.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Partner JSON shapes written as data ({@code mappings/json/<name>.yaml}, see {@link PartnerJsonMapping}), loaded one
 * by one and rescanned with the partner files: a new file is usable at once, a changed one replaces its mapping, a
 * removed one is gone. A file that does not hold is refused with its reason and, if an earlier version loaded, that
 * version keeps working, as a partner file's routes do.
 */
@Component("partnerJsonMappingFiles")
public class PartnerJsonMappingFiles {

    private static final Logger log = LoggerFactory.getLogger(PartnerJsonMappingFiles.class);
    /** A mapping is a few dozen lines; a bigger file is not one (and is not read into memory). */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    /** A file's state: the mapping it gives, or the reason it was refused (with the earlier mapping kept, if any). */
    public record FileState(String file, Instant modified, String mapping, String problem) {
    }

    private record Loaded(FileState state, PartnerJsonMapping mapping) {
    }

    private final MappingRegistry registry;
    private final Path directory;
    private final Map<Path, Loaded> files = new HashMap<>();

    PartnerJsonMappingFiles(MappingRegistry registry, @Value("${hub.mappings-dir:mappings/json}") String directory) {
        this.registry = registry;
        this.directory = Path.of(directory);
    }

    /** Loads new and changed files, forgets removed ones, and hands the registry what holds. */
    public synchronized List<FileState> scan() {
        Map<Path, Instant> present = new LinkedHashMap<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> listing = Files.list(directory)) {
                for (Path file : listing.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                    present.put(file, Files.getLastModifiedTime(file).toInstant());
                }
            } catch (IOException e) {
                log.error("Cannot list partner JSON mapping files in {}", directory, e);
                return states();
            }
        }
        boolean changed = files.keySet().removeIf(file -> !present.containsKey(file));
        for (Map.Entry<Path, Instant> entry : present.entrySet()) {
            Loaded known = files.get(entry.getKey());
            if (known == null || !known.state().modified().equals(entry.getValue())) {
                files.put(entry.getKey(), load(entry.getKey(), entry.getValue(), known));
                changed = true;
            }
        }
        if (changed) {
            Map<String, PartnerMapping> usable = new LinkedHashMap<>();
            files.values().stream().filter(loaded -> loaded.mapping() != null)
                    .forEach(loaded -> usable.put(loaded.mapping().name(), loaded.mapping()));
            registry.replaceLoaded(usable);
        }
        return states();
    }

    public synchronized List<FileState> states() {
        return files.values().stream().map(Loaded::state).sorted(Comparator.comparing(FileState::file)).toList();
    }

    private Loaded load(Path file, Instant modified, Loaded previous) {
        String name = file.getFileName().toString();
        String expected = name.substring(0, name.length() - ".yaml".length());
        try {
            if (registry.isBuiltIn(expected)) {
                throw new MappingFileRefused("name '" + expected + "' is a mapping of the hub's own; choose another");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new MappingFileRefused("is larger than " + MAX_FILE_BYTES + " bytes; a mapping is a few dozen "
                        + "lines");
            }
            PartnerJsonMapping mapping = PartnerJsonMapping.load(expected, Files.readString(file));
            log.info("Partner JSON mapping {} loaded", name);
            return new Loaded(new FileState(name, modified, mapping.name(), null), mapping);
        } catch (IOException | RuntimeException e) { // one file's fault, never the scan's
            String problem = name + " refused: " + e.getMessage();
            PartnerJsonMapping kept = previous == null ? null : previous.mapping();
            log.error("{}{}", problem, kept == null ? "" : " (its earlier version keeps working)");
            return new Loaded(new FileState(name, modified, kept == null ? null : kept.name(), problem), kept);
        }
    }
}
