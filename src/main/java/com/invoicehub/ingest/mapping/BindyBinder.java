package com.invoicehub.ingest.mapping;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.dataformat.bindy.BindyAbstractFactory;
import org.apache.camel.dataformat.bindy.BindyCsvFactory;
import org.apache.camel.dataformat.bindy.BindyFixedLengthFactory;
import org.apache.camel.dataformat.bindy.FormatFactory;
import org.apache.camel.dataformat.bindy.format.factories.DefaultFactoryRegistry;

/**
 * Binds one record to its Bindy model, row by row, so a file is streamed instead of unmarshalled whole. Bindy's own
 * CSV splitting does not honour separators inside quotes, so CSV rows arrive here already tokenized (CsvFields)
 * and Bindy does what it is good at: mapping fields onto the annotated model.
 */
public final class BindyBinder<T> {

    private final Class<T> type;
    private final BindyAbstractFactory factory;
    private final CamelContext camel;

    private BindyBinder(Class<T> type, BindyAbstractFactory factory, CamelContext camel) {
        this.type = type;
        this.factory = factory;
        this.camel = camel;
        FormatFactory formats = new FormatFactory();
        formats.setFactoryRegistry(new DefaultFactoryRegistry());
        factory.setFormatFactory(formats);
    }

    public static <T> BindyBinder<T> csv(Class<T> type, CamelContext camel) {
        try {
            return new BindyBinder<>(type, new BindyCsvFactory(type), camel);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a Bindy CSV model: " + type, e);
        }
    }

    public static <T> BindyBinder<T> fixedLength(Class<T> type, CamelContext camel) {
        try {
            return new BindyBinder<>(type, new BindyFixedLengthFactory(type), camel);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a Bindy fixed-length model: " + type, e);
        }
    }

    /** Binds CSV fields (already split) of the given line. */
    public T bind(List<String> fields, int line) throws Exception {
        Map<String, Object> model = factory.factory();
        factory.bind(camel, fields, model, line);
        return type.cast(model.get(type.getName()));
    }

    /** Binds a fixed-length record of the given line. */
    public T bind(String record, int line) throws Exception {
        Map<String, Object> model = factory.factory();
        ((BindyFixedLengthFactory) factory).bind(camel, record, model, line);
        return type.cast(model.get(type.getName()));
    }
}
