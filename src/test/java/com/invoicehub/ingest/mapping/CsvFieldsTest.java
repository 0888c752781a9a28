package com.invoicehub.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one-pass split and Commons CSV give the same fields for every record the one-pass split takes. */
class CsvFieldsTest {

    private final CsvFields comma = new CsvFields(',');
    private final CsvFields semicolon = new CsvFields(';');

    @ParameterizedTest
    @ValueSource(strings = {
            "a,b,c", "a,,c", ",", "a,b,", ",a", "\"a,b\",c", "\"say \"\"hi\"\"\",x", "\"\",\"\"", "\"\"",
            "\"line\nbreak\",y", "plain text with spaces , and more", "ä,€,\"ß,ü\"", "x,\"\"\"\""})
    void wellFormedRecordsSplitAsCommonsCsvSplitsThem(String record) throws IOException {
        List<String> fields = comma.wellFormed(record);
        assertThat(fields).isNotNull().isEqualTo(comma.splitWithCommonsCsv(record));
        assertThat(comma.split(record)).isEqualTo(fields);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\"b,c", "\"ab\"c,d", "1;\"2,5\";3", "\"open,x", " \"a\",b", "\"a\" ,b", ""})
    void anythingElseIsLeftToCommonsCsv(String record) throws IOException {
        assertThat(comma.wellFormed(record)).isNull();
        try {
            List<String> expected = comma.splitWithCommonsCsv(record);
            assertThat(comma.split(record)).isEqualTo(expected);
        } catch (IOException refused) {
            assertThatThrownBy(() -> comma.split(record)).isInstanceOf(IOException.class)
                    .hasMessage(refused.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1;\"Müller; Anna\";12,50", "a;b;", "\"x;y\";\"\"\"q\"\"\""})
    void otherSeparators(String record) throws IOException {
        assertThat(semicolon.wellFormed(record)).isNotNull().isEqualTo(semicolon.splitWithCommonsCsv(record));
    }
}
