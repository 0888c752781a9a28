package com.invoicehub.bench;

import java.util.Arrays;

/** {@code bench} (ingest), {@code bench invoices}, {@code bench webhooks}, {@code bench xlsx}: see docs/benchmarks.md. */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "";
        switch (which) {
            case "invoices" -> InvoiceBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            case "webhooks" -> WebhookBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            case "xlsx" -> XlsxBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            default -> IngestBenchmark.main(args);
        }
    }
}
