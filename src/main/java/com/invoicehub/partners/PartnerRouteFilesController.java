package com.invoicehub.partners;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Ops can see which partner files are live and why one was refused. */
@RestController
class PartnerRouteFilesController {

    private final PartnerRouteFiles files;

    PartnerRouteFilesController(PartnerRouteFiles files) {
        this.files = files;
    }

    @GetMapping("/api/v1/partner-files")
    List<PartnerRouteFiles.FileState> files() {
        return files.states();
    }
}
