package com.invoicehub.customers;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.platform.api.Page;

import jakarta.validation.Valid;

import io.swagger.v3.oas.annotations.tags.Tag;

/** CONTRACT §3: customers. The API key and webhook secret appear only in the answer of create. */
@Tag(name = ApiTags.CUSTOMERS)
@RestController
@RequestMapping("/api/v1/customers")
class CustomerController {

    private final CustomerRegistry registry;

    CustomerController(CustomerRegistry registry) {
        this.registry = registry;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    IssuedCustomerCredentials register(@Valid @RequestBody CustomerRequest request) {
        return registry.register(request);
    }

    @GetMapping
    Page<Customer> list(@RequestParam(required = false) Integer size, @RequestParam(required = false) String cursor) {
        return registry.list(size, cursor);
    }

    @GetMapping("/{id}")
    Customer get(@PathVariable String id) {
        return registry.get(id);
    }

    @PutMapping("/{id}")
    Customer update(@PathVariable String id, @Valid @RequestBody CustomerRequest request) {
        return registry.update(id, request);
    }
}
