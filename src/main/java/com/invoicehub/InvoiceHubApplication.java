package com.invoicehub;

import org.springframework.boot.SpringApplication;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class InvoiceHubApplication {

    public static void main(String[] args) {
        SpringApplication.run(InvoiceHubApplication.class, args);
    }
}
