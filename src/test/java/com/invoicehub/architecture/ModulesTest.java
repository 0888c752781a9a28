package com.invoicehub.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

import com.invoicehub.InvoiceHubApplication;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Each top-level package is a module (spring-modulith's model): no cycle between modules, and a module uses only
 * another's top-level package and the packages that one names as its interfaces ({@code package-info.java},
 * {@code @NamedInterface}). Inside a module, its packages have no cycle either. Spring-free.
 */
class ModulesTest {

    @Test
    void modulesHaveNoCyclesAndUseOnlyEachOthersInterfaces() {
        ApplicationModules.of(InvoiceHubApplication.class).verify();
    }

    @Test
    void packagesHaveNoCycles() {
        JavaClasses hub = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.invoicehub");
        slices().matching("com.invoicehub.(**)").should().beFreeOfCycles().check(hub);
    }
}
