package com.invoicehub.partners;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.platform.api.Page;

import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.tags.Tag;

/** CONTRACT §3: partners. Keys and secrets appear only in the answers of create and rotate. */
@Tag(name = ApiTags.PARTNERS)
@RestController
@RequestMapping("/api/v1/partners")
class PartnerController {

    private final PartnerRegistry registry;

    PartnerController(PartnerRegistry registry) {
        this.registry = registry;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    IssuedPartnerCredentials register(@Valid @RequestBody NewPartner request) {
        return registry.register(request);
    }

    @GetMapping
    Page<Partner> list(@RequestParam(required = false) Integer size, @RequestParam(required = false) String cursor) {
        return registry.list(size, cursor);
    }

    @GetMapping("/{id}")
    Partner get(@PathVariable String id) {
        return registry.get(id);
    }

    @PostMapping("/{id}/rotate-credentials")
    IssuedPartnerCredentials rotateCredentials(@PathVariable String id) {
        return registry.rotateCredentials(id);
    }
}
