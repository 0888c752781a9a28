package com.invoicehub.ingest.replay;

import java.io.InputStream;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.ingest.mapping.MappingRegistry;
import com.invoicehub.ingest.mapping.PartnerJsonMappingFiles;
import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.platform.api.Page;

import io.swagger.v3.oas.annotations.tags.Tag;

/** The mappings the hub knows, and a dry run of one over a sample file (send the file as the request body). */
@Tag(name = ApiTags.INGEST)
@RestController
class MappingController {

    private final MappingRegistry mappings;
    private final MappingDryRun dryRun;
    private final PartnerJsonMappingFiles jsonMappingFiles;

    MappingController(MappingRegistry mappings, MappingDryRun dryRun, PartnerJsonMappingFiles jsonMappingFiles) {
        this.mappings = mappings;
        this.dryRun = dryRun;
        this.jsonMappingFiles = jsonMappingFiles;
    }

    @GetMapping("/api/v1/mappings")
    Page<String> mappings() {
        return new Page<>(List.copyOf(mappings.names()), null);
    }

    /** The partner JSON mapping files (mappings/json/): each loaded, or refused with its reason. */
    @GetMapping("/api/v1/mapping-files")
    Page<PartnerJsonMappingFiles.FileState> mappingFiles() {
        return new Page<>(jsonMappingFiles.states(), null);
    }

    @PostMapping("/api/v1/mappings/{mapping}/dry-run")
    MappingDryRun.Report dryRun(@PathVariable String mapping, @RequestParam(required = false) String partnerId,
                                InputStream body) {
        return dryRun.run(mapping, partnerId, body);
    }
}
