package com.invoicehub.platform.audit;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.platform.api.Page;

import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code GET /api/v1/audit?entity=&id=} (CONTRACT §8), newest first. */
@Tag(name = ApiTags.AUDIT)
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping
    Page<AuditEvent> events(@RequestParam(required = false) String entity,
                            @RequestParam(required = false) String id,
                            @RequestParam(required = false) Integer size,
                            @RequestParam(required = false) String cursor) {
        int limit = Page.size(size);
        long before = Page.beforeId(cursor);
        List<AuditEvent> events = audit.events(entity, id, before, limit + 1);
        return Page.of(events, limit, event -> Long.toString(event.id()));
    }
}
