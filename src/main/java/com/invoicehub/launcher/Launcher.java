package com.invoicehub.launcher;

import java.util.Arrays;

import com.invoicehub.InvoiceHubApplication;
import com.invoicehub.bench.Benchmarks;

/**
 * The jar's entry point: {@code java -jar invoice-hub.jar} runs the hub, {@code ... bench [invoices|webhooks] ...}
 * a benchmark. Kept apart from {@link InvoiceHubApplication} so the application does not depend on the benchmarks.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "bench".equals(args[0])) {
            Benchmarks.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        InvoiceHubApplication.main(args);
    }
}
