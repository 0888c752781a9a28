package com.invoicehub.ingest.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * How one partner layout reads (a Bindy model under {@code mappings/}): streams a file's rows, never holding the
 * whole file. Registered as a Spring bean; its {@link #name()} is what a partner's route file refers to.
 */
public interface PartnerMapping {

    String name();

    /**
     * Rows of the file in order; header and trailer lines are not rows. A line (or element) longer than the limits
     * allow is a PARSE_ERROR row of its own ({@link LogicalLines#tooLong()}, {@link OverlongInput}).
     */
    RowReader open(InputStream file, ReadLimits limits) throws IOException;

    default RowReader open(InputStream file) throws IOException {
        return open(file, ReadLimits.DEFAULTS);
    }

    /** Reads one record again from its kept text (replay with today's mapping); the row number is kept. */
    SourceRow reread(int rowNumber, String raw);

    /**
     * A layout whose file carries its own totals checks them before anything is applied: the reason the whole
     * file is refused, or empty when it may be read.
     */
    default Optional<String> refusal(InputStream file, ReadLimits limits) throws IOException {
        return Optional.empty();
    }

    default Optional<String> refusal(InputStream file) throws IOException {
        return refusal(file, ReadLimits.DEFAULTS);
    }
}
