package com.invoicehub.platform.api;

/**
 * The OpenAPI document's tags, one per feature: controllers name theirs with {@code @Tag(name = ApiTags.…)}; the
 * descriptions are written once, in {@link ApiDocumentation}.
 */
public final class ApiTags {

    public static final String PARTNERS = "partners";
    public static final String PARTNER_WEBHOOK = "partner webhook";
    public static final String CUSTOMERS = "customers";
    public static final String INGEST = "ingest";
    public static final String SCHEDULES = "schedules";
    public static final String INVOICES = "invoices";
    public static final String APPROVAL = "approval";
    public static final String DELIVERY = "delivery";
    public static final String REPORTS = "reports";
    public static final String AUDIT = "audit";
    public static final String MACHINE_KEYS = "machine keys";

    private ApiTags() {
    }
}
