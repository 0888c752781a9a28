package com.invoicehub.platform.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;

import org.junit.jupiter.api.Test;

/** What goes to PostgreSQL by COPY: nothing a partner sent is dropped on the way. */
class CopyTextTest {

    private static String text(CopyText copy) throws IOException {
        try (Reader reader = copy.reader()) {
            StringBuilder out = new StringBuilder();
            reader.transferTo(new java.io.Writer() {
                @Override
                public void write(char[] buffer, int off, int len) {
                    out.append(buffer, off, len);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
            return out.toString();
        }
    }

    @Test
    void aNulIsKeptAsItsVisibleStandInNotDropped() throws IOException {
        assertThat(text(new CopyText(16).field("a\u0000b").last("\u0000"))).isEqualTo("a\u2400b\t\u2400\n");
    }

    @Test
    void copySpecialCharactersAreEscapedAndNullIsBackslashN() throws IOException {
        assertThat(text(new CopyText(16).field("t\tn\nr\r\\").field((String) null).last("\u0001")))
                .isEqualTo("t\\tn\\nr\\r\\\\\t\\N\t\u0001\n");
    }
}
