package com.invoicehub.ingest;

/**
 * The headers the partner route templates ({@code routes/templates/}) and the hub's ingest routes
 * ({@code routes/ingest/}) set for the beans that read them. YAML cannot name a Java constant, so
 * the routes spell these values; {@code RouteHeadersTest} fails when a route and this class disagree.
 */
public final class RouteHeaders {

    /** The partner a receipt came from (a template parameter). */
    public static final String PARTNER_ID = "hubPartnerId";
    /** The channel it came by: SFTP or S3. */
    public static final String CHANNEL = "hubChannel";
    /** The mapping that reads it (a template parameter). */
    public static final String MAPPING = "hubMapping";
    /** Where the channel moves the original once read: processed or failed. */
    public static final String FOLDER = "hubFolder";
    /** The original's name as its channel knows it: the file name (SFTP) or the object key (S3). */
    public static final String ORIGINAL_NAME = "hubOriginalName";
    /** The folder beside the inbox the answer to a file goes to (outbox or failed), for the sinks. */
    public static final String ANSWER_FOLDER = "hubAnswerFolder";
    /** The answer's file name, for the sinks. */
    public static final String ANSWER_NAME = "hubAnswerName";

    private RouteHeaders() {
    }
}
