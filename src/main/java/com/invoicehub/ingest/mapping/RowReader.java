package com.invoicehub.ingest.mapping;

import java.io.Closeable;
import java.io.IOException;

/** A stream of rows: {@link #next()} answers null after the last one. */
public interface RowReader extends Closeable {

    SourceRow next() throws IOException;
}
