package com.invoicehub.mappings;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.ingest.pipeline.LineItemRules;
import com.invoicehub.ledger.ValidLineItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The partner samples (copied from shared/samples) and what expected.json says a correct hub makes of them. */
public final class SampleFiles {

    private SampleFiles() {
    }

    /** The partner samples copied from shared/samples; a mapping's own sample sits beside its package. */
    public static final String SHARED = "/samples/";

    public static InputStream open(String name) {
        return open(SHARED, name);
    }

    /** A sample in a resource folder ({@code /samples/}, {@code /com/invoicehub/mappings/standardxlsx/}). */
    public static InputStream open(String folder, String name) {
        InputStream in = SampleFiles.class.getResourceAsStream(folder + name);
        if (in == null) {
            throw new IllegalArgumentException("no sample " + name);
        }
        return in;
    }

    public static JsonNode expected(String file) throws IOException {
        try (InputStream in = open("expected.json")) {
            return new ObjectMapper().readTree(in).get("files").get(file);
        }
    }

    /** The sample month's customers and their currencies, from master-data.json. */
    public static LineItemRules rules() throws IOException {
        Map<String, Currency> currencies = new HashMap<>();
        try (InputStream in = open("master-data.json")) {
            for (JsonNode customer : new ObjectMapper().readTree(in).get("customers")) {
                currencies.put(customer.get("id").asText(), Currency.getInstance(customer.get("currency").asText()));
            }
        }
        return new LineItemRules(currencies);
    }

    /** What a mapping and the hub's rules make of a sample: the rows, the valid items, the rejections by id. */
    public record Outcome(List<SourceRow> rows, List<ValidLineItem> valid, Map<String, String> rejected) {
    }

    public static Outcome read(PartnerMapping mapping, String file) throws IOException {
        return read(mapping, SHARED, file);
    }

    public static Outcome read(PartnerMapping mapping, String folder, String file) throws IOException {
        LineItemRules rules = rules();
        List<SourceRow> rows = new ArrayList<>();
        List<ValidLineItem> valid = new ArrayList<>();
        Map<String, String> rejected = new LinkedHashMap<>();
        try (InputStream in = open(folder, file); RowReader reader = mapping.open(in)) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
                if (row.rejection() != null) {
                    rejected.put(row.externalId(), row.rejection().code().name());
                    continue;
                }
                LineItemRules.Verdict verdict = rules.judge(row.item());
                if (verdict.rejection() != null) {
                    rejected.put(row.externalId(), verdict.rejection().code().name());
                } else {
                    valid.add(verdict.item());
                }
            }
        }
        return new Outcome(rows, valid, rejected);
    }

    public static Map<String, String> expectedRejections(JsonNode expected) {
        Map<String, String> rejected = new LinkedHashMap<>();
        expected.get("rejected").fields().forEachRemaining(e -> rejected.put(e.getKey(), e.getValue().asText()));
        return rejected;
    }
}
