package com.invoicehub.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

import com.invoicehub.InvoiceHubApplication;

/**
 * Each top-level package is a module (spring-modulith's model): no cycle between modules. Spring-free.
 * <p>
 * Not yet {@code verify()} as a whole: a few modules still reach into another's internals (the local stack's
 * servers, ingest's channels); see the note on issue 14. The packages a module offers the others are named in their
 * {@code package-info.java} ({@code @NamedInterface}).
 */
class ModulesTest {

    @Test
    void noCycleBetweenModules() {
        assertThat(ApplicationModules.of(InvoiceHubApplication.class).detectViolations().getMessages())
                .filteredOn(message -> message.contains("Cycle detected")).isEmpty();
    }
}
