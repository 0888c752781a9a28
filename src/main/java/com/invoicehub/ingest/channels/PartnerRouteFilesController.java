package com.invoicehub.ingest.channels;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.platform.api.Page;

import io.swagger.v3.oas.annotations.tags.Tag;

/** Ops can see which partner files are live and why one was refused. */
@Tag(name = ApiTags.INGEST)
@RestController
class PartnerRouteFilesController {

    private final PartnerRouteFiles files;

    PartnerRouteFilesController(PartnerRouteFiles files) {
        this.files = files;
    }

    @GetMapping("/api/v1/partner-files")
    Page<PartnerRouteFiles.FileState> files() {
        return new Page<>(files.states(), null);
    }
}
