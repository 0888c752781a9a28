package com.invoicehub.architecture;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

import com.invoicehub.InvoiceHubApplication;

/**
 * Each top-level package is a module (spring-modulith's model): no cycle between modules, and a module uses only
 * another's top-level package and the packages that one names as its interfaces ({@code package-info.java},
 * {@code @NamedInterface}). Spring-free.
 */
class ModulesTest {

    @Test
    void modulesHaveNoCyclesAndUseOnlyEachOthersInterfaces() {
        ApplicationModules.of(InvoiceHubApplication.class).verify();
    }
}
