package com.invoicehub;

import org.springframework.boot.SpringApplication;

import com.invoicehub.bench.IngestBenchmark;
import com.invoicehub.bench.InvoiceBenchmark;
import com.invoicehub.bench.WebhookBenchmark;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class InvoiceHubApplication {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "bench".equals(args[0])) {
            String which = args.length > 1 ? args[1] : "";
            switch (which) {
                case "invoices" -> InvoiceBenchmark.main(java.util.Arrays.copyOfRange(args, 2, args.length));
                case "webhooks" -> WebhookBenchmark.main(java.util.Arrays.copyOfRange(args, 2, args.length));
                default -> IngestBenchmark.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            }
            return;
        }
        SpringApplication.run(InvoiceHubApplication.class, args);
    }
}
