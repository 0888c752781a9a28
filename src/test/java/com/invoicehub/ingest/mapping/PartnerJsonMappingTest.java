package com.invoicehub.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A partner's JSON shape written as data: read exactly, each bad value rejecting its own item, bad files refused. */
class PartnerJsonMappingTest {

    private static PartnerJsonMapping lumen() throws IOException {
        return PartnerJsonMapping.load("lumen-learning", Files.readString(Path.of("mappings/json/lumen-learning.yaml")));
    }

    private static List<SourceRow> rows(PartnerMapping mapping, InputStream body) throws IOException {
        List<SourceRow> rows = new ArrayList<>();
        try (RowReader reader = mapping.open(body)) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void theSampleStatementReadsItemByItemWithItsConversions() throws IOException {
        List<SourceRow> rows;
        try (InputStream body = Files.newInputStream(Path.of(
                "mappings/src/test/resources/partner-json/lumen-learning-statement.json"))) {
            rows = rows(lumen(), body);
        }
        assertThat(rows).hasSize(7).extracting(SourceRow::rowNumber).containsExactly(1, 2, 3, 4, 5, 6, 7);
        // Cents to the currency's decimals, epoch seconds to the day in New York, the partner's words to the hub's.
        assertThat(rows.get(0).item()).isEqualTo(new RawLineItem("LL-1001", "acme", "E-100", "Ada Lovelace", "TUITION",
                "1250.00", "USD", "2026-10-02", "Data Structures"));
        assertThat(rows.get(1).item().amount()).isEqualTo("87.10");
        assertThat(rows.get(1).item().expenseType()).isEqualTo("MATERIALS");
        assertThat(rows.get(1).item().serviceDate()).isEqualTo("2026-10-04");
        // Numbers written as strings convert the same way.
        assertThat(rows.get(2).item().amount()).isEqualTo("40.00");
        assertThat(rows.get(2).item().serviceDate()).isEqualTo("2026-10-05");
        // A bad value rejects its own item, naming the field and where it was.
        assertThat(rows.get(3).rejection().code()).isEqualTo(ReasonCode.INVALID_AMOUNT);
        assertThat(rows.get(3).rejection().field()).isEqualTo("amount");
        assertThat(rows.get(3).rejection().message()).contains("/price/cents", "12.5", "whole number");
        assertThat(rows.get(3).externalId()).isEqualTo("LL-1004");
        assertThat(rows.get(4).rejection().code()).isEqualTo(ReasonCode.INVALID_DATE);
        assertThat(rows.get(4).rejection().message()).contains("/deliveredAt", "yesterday");
        // A value the table does not know passes as sent, for the rules to name it; a missing one is missing.
        assertThat(rows.get(5).item().expenseType()).isEqualTo("workshop");
        assertThat(rows.get(6).item().customerUserId()).isNull();
        // The raw text is the item, so a replay reads it again alone.
        SourceRow again = lumen().reread(1, rows.get(0).raw());
        assertThat(again.item()).isEqualTo(rows.get(0).item());
        assertThat(rows.get(0).raw()).contains("\"chargeId\":\"LL-1001\"").doesNotContain("statement");
    }

    @Test
    void aBodyWithoutItsItemsOrNotJsonIsRefusedWhole() throws IOException {
        assertThatThrownBy(() -> rows(lumen(), new ByteArrayInputStream("{\"other\":[]}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(FileRefusedException.class).hasMessageContaining("/statement/charges");
        assertThatThrownBy(() -> rows(lumen(), new ByteArrayInputStream("{\"statement\":".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(FileRefusedException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void aMappingFileIsCheckedWholeWhenLoaded() {
        String fields = """
                fields:
                  externalId: /id
                  customerId: /c
                  customerUserId: /u
                  expenseType: /t
                  amount: /a
                  currency: /cur
                  serviceDate: /d
                """;
        assertThat(PartnerJsonMapping.load("ok-shape", "name: ok-shape\n" + fields).fields()).hasSize(7);
        assertRefused("other", "name: ok-shape\n" + fields, "must be the file's name");
        assertRefused("ok-shape", "name: ok-shape\nitems: no-slash\n" + fields, "items", "not a JSON pointer");
        assertRefused("ok-shape", "name: ok-shape\n" + fields.replace("  serviceDate: /d\n", ""),
                "serviceDate is required");
        assertRefused("ok-shape", "name: ok-shape\n" + fields + "  price: /p\n", "'price' is not a canonical field");
        assertRefused("ok-shape", "name: ok-shape\n" + fields.replace("currency: /cur",
                "currency: { pointer: /cur, convert: minor-units }"), "minor-units converts an amount only");
        assertRefused("ok-shape", "name: ok-shape\n" + fields.replace("amount: /a",
                "amount: { pointer: /a, convert: cents }"), "convert 'cents' is not one of");
        assertRefused("ok-shape", "name: ok-shape\n" + fields.replace("serviceDate: /d",
                "serviceDate: { pointer: /d, convert: date }"), "needs a pattern");
        assertRefused("ok-shape", "name: ok-shape\n" + fields.replace("serviceDate: /d",
                "serviceDate: { pointer: /d, convert: epoch-seconds, zone: Mars/Olympus }"), "not a time zone");
        assertRefused("ok-shape", "name: ok-shape\n" + fields.replace("amount: /a",
                "amount: { pointer: /a, constant: '1.00' }"), "exactly one of pointer and constant");
        assertRefused("ok-shape", "name: ok-shape\nscript: x\n" + fields, "unknown key 'script'");
        assertRefused("ok-shape", "- a list", "must be a YAML map");
    }

    @Test
    void aConstantAndADatePatternFillFieldsThePartnerLeavesOut() throws IOException {
        PartnerJsonMapping mapping = PartnerJsonMapping.load("dated", """
                name: dated
                fields:
                  externalId: /id
                  customerId: /c
                  customerUserId: /u
                  expenseType: { constant: TUITION }
                  amount: /a
                  currency: { constant: EUR }
                  serviceDate: { pointer: /d, convert: date, pattern: dd/MM/yyyy }
                """);
        List<SourceRow> rows = rows(mapping, new ByteArrayInputStream("""
                [{"id":"D-1","c":"acme","u":"E-1","a":1234.50,"d":"14/10/2026"},
                 {"id":"D-2","c":"acme","u":"E-2","a":"10","d":"2026-10-14"}]""".getBytes(StandardCharsets.UTF_8)));
        assertThat(rows.get(0).item()).isEqualTo(new RawLineItem("D-1", "acme", "E-1", null, "TUITION", "1234.50", "EUR",
                "2026-10-14", null));
        assertThat(rows.get(1).rejection().code()).isEqualTo(ReasonCode.INVALID_DATE);
        assertThat(rows.get(1).rejection().message()).contains("2026-10-14", "pattern");
    }

    private static void assertRefused(String name, String yaml, String... reason) {
        assertThatThrownBy(() -> PartnerJsonMapping.load(name, yaml)).isInstanceOf(MappingFileRefused.class)
                .message().contains(reason);
    }
}
