package com.invoicehub.ingest.channels;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.invoicehub.platform.api.ApiTags;
import com.invoicehub.platform.api.Page;

import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The SQS dead-letter queue for ops (OPS role only, see SecurityConfiguration): list its messages with their reason,
 * redrive one or all of them to the partner queue, or discard one that must never be applied.
 */
@Tag(name = ApiTags.INGEST)
@RestController
@RequestMapping("/api/v1/ingest/dead-letters")
class DeadLetterController {

    /** A list answer (CONTRACT §10); SQS cannot be paged, so {@code next} is always null. */
    record DeadLetterList(List<DeadLetters.DeadLetter> items, String next, long approximateTotal) {
    }

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    DeadLetterList list(@RequestParam(required = false) Integer size) {
        int limit = Page.size(size);
        return new DeadLetterList(deadLetters.list(limit), null, deadLetters.count());
    }

    @PostMapping("/{id}/redrive")
    DeadLetters.DeadLetter redrive(@PathVariable String id) {
        return deadLetters.redrive(id);
    }

    @DeleteMapping("/{id}")
    DeadLetters.DeadLetter discard(@PathVariable String id) {
        return deadLetters.discard(id);
    }

    @PostMapping("/redrive")
    Map<String, Integer> redriveAll() {
        return Map.of("redriven", deadLetters.redriveAll());
    }
}
