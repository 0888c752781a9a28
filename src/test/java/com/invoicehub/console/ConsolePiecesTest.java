package com.invoicehub.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The console's charts and linked report sentences, Spring-free. */
class ConsolePiecesTest {

    @Test
    void barsAreSharesOfTheLargestAndRatesOfAHundredPercent() {
        BarChart amounts = BarChart.of(List.of(new BarChart.Value("a", "10", new BigDecimal("10")),
                new BarChart.Value("b", "40", new BigDecimal("40")), new BarChart.Value("c", "none", null),
                new BarChart.Value("d", "-5", new BigDecimal("-5"))));
        assertThat(amounts.bars()).extracting(BarChart.Bar::percent).containsExactly(new BigDecimal("25.0"),
                new BigDecimal("100.0"), BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(BarChart.of(List.of(new BarChart.Value("z", "0", BigDecimal.ZERO))).bars().get(0).percent())
                .isZero();

        BarChart rates = BarChart.ofShares(List.of(new BarChart.Value("mon", "97 %", new BigDecimal("0.9712")),
                new BarChart.Value("tue", "no attempts", null)));
        assertThat(rates.bars()).extracting(BarChart.Bar::percent).containsExactly(new BigDecimal("97.1"),
                BigDecimal.ZERO);
    }

    @Test
    void aDifferenceLinksTheRecordsInvoicesAndFilesItNames() {
        ConsoleText text = new ConsoleText();
        assertThat(text.linked("record 12: its latest attempt is APPLIED but the ledger holds no line item"))
                .containsExactly(new ConsoleText.Segment("record 12", "/console/records/12"),
                        new ConsoleText.Segment(": its latest attempt is APPLIED but the ledger holds no line item",
                                null));
        assertThat(text.linked("invoice 7: line item 3 is counted at 1.00")).first()
                .isEqualTo(new ConsoleText.Segment("invoice 7", "/console/invoices/7"));
        assertThat(text.linked("2 receipts are unfinished: files 4, 51"))
                .containsExactly(new ConsoleText.Segment("2 receipts are unfinished: ", null),
                        new ConsoleText.Segment("files ", null), new ConsoleText.Segment("4", "/console/files/4"),
                        new ConsoleText.Segment(", ", null), new ConsoleText.Segment("51", "/console/files/51"));
        assertThat(text.linked("nothing named here")).containsExactly(
                new ConsoleText.Segment("nothing named here", null));
        assertThat(String.join("", text.linked("records 5 and invoices").stream().map(ConsoleText.Segment::text)
                .toList())).isEqualTo("records 5 and invoices");
        assertThat(Arrays.asList(text.percent(new BigDecimal("0.5")), text.percent(null))).containsExactly("50%",
                "–");
    }
}
