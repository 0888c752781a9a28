package com.invoicehub.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DocumentTextTest {

    @Test
    void controlCharactersBecomeOneSpaceAndBidiControlsGo() {
        assertThat(DocumentText.clean("Zo\u00eb\u0000\u001B[31m\t\r\nN\u00fa\u00f1ez\u0085\u2028end"))
                .isEqualTo("Zoë [31m Núñez end");
        assertThat(DocumentText.clean("\u202Egnp.exe \u200F\u05e9\u05dc\u05d5\u05dd\u2066x\u2069\uFEFF"))
                .isEqualTo("gnp.exe שלוםx");
        assertThat(DocumentText.clean("  a \u00a0\u2003 b  ")).isEqualTo("a b");
        assertThat(DocumentText.clean("<script>*~:^</script>")).isEqualTo("<script>*~:^</script>");
        assertThat(DocumentText.clean("bad\uD800pair \uFFFE")).isEqualTo("bad\uFFFDpair \uFFFD");
        assertThat(DocumentText.clean("emoji \uD83D\uDE00 ok")).isEqualTo("emoji \uD83D\uDE00 ok");
        assertThat(DocumentText.clean(null)).isNull();
    }

    @Test
    void namesAreCutForLayouts() {
        assertThat(DocumentText.name("L".repeat(300))).hasSize(DocumentText.NAME_MAX).endsWith("L…");
        assertThat(DocumentText.name("L".repeat(200))).isEqualTo("L".repeat(200));
    }

    @Test
    void csvCellsAreCleanedBeforeTheyAreDefused() {
        assertThat(InvoiceCsv.safe("\u0000=cmd")).isEqualTo("'=cmd");
        assertThat(InvoiceCsv.safe("a\nb")).isEqualTo("a b");
    }
}
