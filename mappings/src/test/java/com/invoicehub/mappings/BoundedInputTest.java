package com.invoicehub.mappings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import com.invoicehub.ingest.mapping.CanonicalJsonMapping;
import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.PartnerMapping;
import com.invoicehub.ingest.mapping.ReadLimits;
import com.invoicehub.ingest.mapping.RowReader;
import com.invoicehub.ingest.mapping.SourceRow;
import com.invoicehub.ingest.pipeline.LineItemRules;
import com.invoicehub.mappings.brightpathfixed.BrightpathFixedMapping;
import com.invoicehub.mappings.northwindcsv.NorthwindCsvMapping;
import com.invoicehub.mappings.standardcsv.StandardCsvMapping;

/**
 * Every layout bounds what one row may take (an overlong line or element is a PARSE_ERROR row of its own, its
 * neighbours read as usual) and hands control characters to the rules as sent, so they are refused, not trimmed.
 */
class BoundedInputTest {

    private static final ReadLimits SMALL = new ReadLimits(300, 20, 2000);
    private static final String GOOD = "EXT-%d,acme,emp-1,Ada Lovelace,TUITION,10.00,USD,2026-10-14,MATH 101";
    private static final String BRIGHTPATH_HEADER = "H20261001BRIGHTPATH TUTORING 000042";
    private static final String BRIGHTPATH_DETAIL =
            "DBP0000000001acme      emp-7022    ALAN BACKUS                   TU2026100300000337114+USDCS 210";

    private final LineItemRules rules = new LineItemRules(Map.of("acme", Currency.getInstance("USD")));

    private static List<SourceRow> rows(PartnerMapping mapping, String file, ReadLimits limits) throws IOException {
        List<SourceRow> rows = new ArrayList<>();
        try (RowReader reader = mapping.open(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)),
                limits)) {
            for (SourceRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void standardCsvAnOverlongLineBetweenGoodRows() throws IOException {
        String file = String.join("\n", String.join(",", StandardCsvMapping.HEADER), GOOD.formatted(1),
                GOOD.formatted(2) + "x".repeat(5000), GOOD.formatted(3), "");
        List<SourceRow> rows = rows(new StandardCsvMapping(new DefaultCamelContext()), file, SMALL);
        assertThat(rows).extracting(SourceRow::rowNumber).containsExactly(2, 3, 4);
        assertThat(rows.get(0).rejection()).isNull();
        assertThat(rows.get(1).rejection().code().name()).isEqualTo("PARSE_ERROR");
        assertThat(rows.get(1).rejection().message()).contains("line 3").contains("5067 bytes").contains("300");
        assertThat(rows.get(1).raw()).startsWith("EXT-2,acme,emp-1,Ada\u2026[cut by the hub: 5067 bytes");
        assertThat(rows.get(2).externalId()).isEqualTo("EXT-3");
    }

    @Test
    void anOverlongHeaderRefusesTheFileSayingSo() {
        assertThatThrownBy(() -> rows(new StandardCsvMapping(new DefaultCamelContext()), "h".repeat(400) + "\n",
                SMALL)).isInstanceOf(FileRefusedException.class).hasMessageContaining("400 bytes");
    }

    @Test
    void brightpathAnOverlongDetailLineIsARowOfItsOwn() throws IOException {
        String file = String.join("\n", BRIGHTPATH_HEADER, BRIGHTPATH_DETAIL, BRIGHTPATH_DETAIL + " ".repeat(400),
                BRIGHTPATH_DETAIL, "T000000030000001011342+");
        List<SourceRow> rows = rows(new BrightpathFixedMapping(new DefaultCamelContext()), file, SMALL);
        assertThat(rows).extracting(row -> row.rejection() == null ? "ok" : row.rejection().code().name())
                .containsExactly("ok", "PARSE_ERROR", "ok");
        assertThat(rows.get(1).rowNumber()).isEqualTo(3);
    }

    @Test
    void canonicalJsonAnOverlongElementIsARowOfItsOwnAndAnOverlongDocumentIsRefused() throws IOException {
        String item = "{\"externalId\":\"J-%d\",\"customerId\":\"acme\",\"customerUserId\":\"emp-1\","
                + "\"expenseType\":\"TUITION\",\"amount\":\"10.00\",\"currency\":\"USD\","
                + "\"serviceDate\":\"2026-10-14\",\"description\":\"%s\"}";
        String body = "[" + item.formatted(1, "a") + "," + item.formatted(2, "b".repeat(400)) + ","
                + item.formatted(3, "c") + "]";
        List<SourceRow> rows = rows(new CanonicalJsonMapping(), body, SMALL);
        assertThat(rows).extracting(row -> row.rejection() == null ? row.externalId() : row.rejection().message())
                .satisfiesExactly(first -> assertThat(first).isEqualTo("J-1"),
                        second -> assertThat(second).contains("item 2").contains("bytes long"),
                        third -> assertThat(third).isEqualTo("J-3"));

        String big = "[" + String.join(",", java.util.Collections.nCopies(30, item.formatted(9, "d"))) + "]";
        assertThatThrownBy(() -> rows(new CanonicalJsonMapping(), big, SMALL))
                .isInstanceOf(FileRefusedException.class).hasMessageContaining("2000 bytes");
    }

    @Test
    void controlCharactersReachTheRulesInEveryLayout() throws IOException {
        String csv = String.join("\n", String.join(",", StandardCsvMapping.HEADER),
                "EXT-1\t,acme,emp-1,Ada Lovelace,TUITION,10.00,USD,2026-10-14,MATH 101",
                "EXT-2,acme,emp-1,Ada\u0000Lovelace,TUITION,10.00,USD,2026-10-14,MATH 101");
        assertThat(verdicts(new StandardCsvMapping(new DefaultCamelContext()), csv))
                .containsExactly("INVALID_CHARACTER externalId", "INVALID_CHARACTER userName");

        String northwind = "Invoice Ref;Employer Code;Student ID;Student Name;Charge Type;Term Date;Amount;Currency;"
                + "Course\nNW-1;ACME;s-1;Lovelace, Ada;Tuition;14.10.2026;1.250,00\t;USD;MATH\n"
                + "NW-2;ACME;s-1;Lovelace,\tAda;Tuition;14.10.2026;1.250,00;USD;MATH\n";
        assertThat(verdicts(new NorthwindCsvMapping(new DefaultCamelContext()), northwind))
                .containsExactly("INVALID_AMOUNT amount", "INVALID_CHARACTER userName");

        String brightpath = String.join("\n", BRIGHTPATH_HEADER,
                BRIGHTPATH_DETAIL.replace("ALAN BACKUS ", "ALAN BACKUS\t"),
                BRIGHTPATH_DETAIL.replace("DBP0000000001", "DBP000000000\u0000"), "T000000020000000674228+");
        assertThat(verdicts(new BrightpathFixedMapping(new DefaultCamelContext()), brightpath))
                .containsExactly("INVALID_CHARACTER userName", "INVALID_CHARACTER externalId");

        String json = "[{\"externalId\":\"J-1\",\"customerId\":\"acme\",\"customerUserId\":\"emp-1\","
                + "\"expenseType\":\"TUITION\",\"amount\":\"10.00\",\"currency\":\"USD\","
                + "\"serviceDate\":\"2026-10-14\",\"description\":\"MATH\\u0000101\"}]";
        assertThat(verdicts(new CanonicalJsonMapping(), json)).containsExactly("INVALID_CHARACTER description");
    }

    private List<String> verdicts(PartnerMapping mapping, String file) throws IOException {
        return rows(mapping, file, ReadLimits.DEFAULTS).stream().map(row -> {
            if (row.rejection() != null) {
                return row.rejection().code() + " " + row.rejection().field();
            }
            LineItemRules.Verdict verdict = rules.judge(row.item());
            return verdict.rejection() == null ? "valid"
                    : verdict.rejection().code() + " " + verdict.rejection().field();
        }).toList();
    }
}
