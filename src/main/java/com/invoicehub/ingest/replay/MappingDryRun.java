package com.invoicehub.ingest.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Service;

import com.invoicehub.customers.CustomerRegistry;
import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.MappingNotFound;
import com.invoicehub.ingest.mapping.MappingRegistry;
import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.ingest.pipeline.IngestLimits;
import com.invoicehub.ingest.pipeline.JudgedRow;
import com.invoicehub.ingest.pipeline.LineItemRules;
import com.invoicehub.partners.PartnerRegistry;
import com.invoicehub.platform.TempFile;

/**
 * {@code POST /api/v1/mappings/{mapping}/dry-run}: reads a sample file with a mapping and the hub's rules and answers
 * every row's normalized item and outcome, applying nothing. With a partner, outcomes are judged against that
 * partner's ledger (DUPLICATE, CONFLICT); without one, a valid row is reported as it would be for a new key (APPLIED).
 */
@Service
public class MappingDryRun {

    private static final int BATCH = 1000;

    private final MappingRegistry mappings;
    private final CustomerRegistry customers;
    private final PartnerRegistry partners;
    private final OutcomePreview preview;
    private final IngestLimits limits;

    MappingDryRun(MappingRegistry mappings, CustomerRegistry customers, PartnerRegistry partners,
                  OutcomePreview preview, IngestLimits limits) {
        this.mappings = mappings;
        this.customers = customers;
        this.partners = partners;
        this.preview = preview;
        this.limits = limits;
    }

    public record Row(int row, String externalId, String outcome, String reason, String message,
                      Map<String, Object> item) {
    }

    public record Report(String mapping, String partnerId, boolean refused, String refusal, int rows,
                         Map<Outcome, Integer> counts, List<Row> items) {
    }

    public Report run(String mappingName, String partnerId, InputStream body) {
        PartnerMapping mapping = mappings.find(mappingName)
                .orElseThrow(() -> new MappingNotFound(mappingName, mappings.names()));
        if (partnerId != null) {
            partners.get(partnerId);
        }
        try (TempFile copy = TempFile.create("dry-run-")) {
            Path local = copy.path();
            Files.copy(body, local, StandardCopyOption.REPLACE_EXISTING);
            Optional<String> refusal;
            try (InputStream in = Files.newInputStream(local)) {
                refusal = mapping.refusal(in, limits.read());
            }
            if (refusal.isPresent()) {
                return new Report(mappingName, partnerId, true, refusal.get(), 0, new EnumMap<>(Outcome.class),
                        List.of());
            }
            return readRows(mappingName, mapping, partnerId, local);
        } catch (FileRefusedException e) {
            return new Report(mappingName, partnerId, true, e.getMessage(), 0, new EnumMap<>(Outcome.class),
                    List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Report readRows(String mappingName, PartnerMapping mapping, String partnerId, Path local)
            throws IOException {
        LineItemRules rules = new LineItemRules(customers.currencies());
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0);
        }
        List<Row> items = new ArrayList<>();
        List<JudgedRow> batch = new ArrayList<>();
        int rows = 0;
        try (InputStream in = Files.newInputStream(local); RowReader reader = mapping.open(in, limits.read())) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                rows++;
                batch.add(FileIngestion.judge(rules, row));
                if (batch.size() == BATCH) {
                    judgeBatch(partnerId, batch, items, counts);
                }
            }
        }
        judgeBatch(partnerId, batch, items, counts);
        return new Report(mappingName, partnerId, false, null, rows, counts, items);
    }

    private void judgeBatch(String partnerId, List<JudgedRow> batch, List<Row> items, Map<Outcome, Integer> counts) {
        if (batch.isEmpty()) {
            return;
        }
        Map<Integer, RowOutcome> outcomes = partnerId == null ? Map.of() : preview.predict(partnerId, batch);
        for (JudgedRow row : batch) {
            RowOutcome outcome = outcomes.getOrDefault(row.rowNumber(), RowOutcome.ofJudged(row));
            counts.merge(outcome.outcome(), 1, Integer::sum);
            items.add(new Row(row.rowNumber(), row.externalId(), outcome.outcome().name(), outcome.reasonCode(),
                    outcome.message(),
                    row.item() == null ? null : canonical(row)));
        }
        batch.clear();
    }

    private static Map<String, Object> canonical(JudgedRow row) {
        var item = row.item();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("externalId", item.externalId());
        json.put("customerId", item.customerId());
        json.put("customerUserId", item.customerUserId());
        json.put("userName", item.userName());
        json.put("expenseType", item.expenseType().name());
        json.put("amount", item.amount().toPlainString());
        json.put("currency", item.amount().currency().getCurrencyCode());
        json.put("serviceDate", item.serviceDate().toString());
        json.put("description", item.description());
        return json;
    }
}
