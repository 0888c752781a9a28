package com.invoicehub.support;

import java.util.concurrent.atomic.AtomicInteger;

/** Unique ids per test, so tests sharing one database never collide. */
public final class TestData {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 100000, 36);

    private TestData() {
    }

    public static String id(String prefix) {
        return prefix + "-" + RUN + "-" + SEQUENCE.incrementAndGet();
    }

    public static String partnerJson(String id) {
        return """
                {"id":"%s","name":"Partner %s","type":"UNIVERSITY","contactEmail":"ops@%s.example"}
                """.formatted(id, id, id);
    }

    public static String customerJson(String id) {
        return """
                {"id":"%s","name":"Customer %s","type":"CORPORATION","currency":"USD","timeZone":"America/New_York",
                 "invoiceDay":5,"approverEmails":["approver@%s.example"],"billingEmails":["billing@%s.example"],
                 "delivery":{"email":true,"webhookUrl":null,"edi":null}}
                """.formatted(id, id, id, id);
    }
}
