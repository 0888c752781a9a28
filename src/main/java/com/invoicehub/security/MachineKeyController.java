package com.invoicehub.security;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.platform.api.ApiTags;

import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Ops' machine keys: {@code POST /api/v1/machine-keys {"name","role":"OPS|FINANCE"}} answers the key once;
 * {@code GET} lists them (never a key); {@code DELETE /{name}} revokes one. Ops in person only (HTTP Basic, see
 * SecurityConfiguration): a leaked key cannot mint the keys that would outlive its revocation.
 */
@Tag(name = ApiTags.MACHINE_KEYS)
@RestController
@RequestMapping("/api/v1/machine-keys")
class MachineKeyController {

    record NewMachineKey(String name, String role) {
    }

    private final MachineKeys keys;

    MachineKeyController(MachineKeys keys) {
        this.keys = keys;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    MachineKeys.IssuedMachineKey issue(@RequestBody NewMachineKey request) {
        return keys.issue(request.name(), request.role());
    }

    @GetMapping
    List<MachineKeys.MachineKey> list() {
        return keys.list();
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String name) {
        keys.revoke(name);
    }
}
