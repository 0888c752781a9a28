package com.invoicehub.platform.postgres;

import java.io.Reader;
import java.io.StringReader;

/** Rows in PostgreSQL's COPY text format, built field by field: tab between fields, \N for null. */
public final class CopyText {

    /** What a NUL is kept as: PostgreSQL text cannot hold it, U+2400 (SYMBOL FOR NULL) shows where it was. */
    public static final char NUL_STAND_IN = '\u2400';

    private final StringBuilder text;

    public CopyText(int capacity) {
        this.text = new StringBuilder(capacity);
    }

    public CopyText field(String value) {
        escape(value);
        text.append('\t');
        return this;
    }

    public CopyText field(long value) {
        text.append(value).append('\t');
        return this;
    }

    /** The row's last field. */
    public CopyText last(String value) {
        escape(value);
        text.append('\n');
        return this;
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    public Reader reader() {
        return new StringReader(text.toString());
    }

    /**
     * Backslash, tab, newline and carriage return are escaped, and NUL, which PostgreSQL text cannot hold, is kept as
     * U+2400 ({@link #NUL_STAND_IN}); most values have none of them and are appended whole.
     */
    private void escape(String value) {
        if (value == null) {
            text.append("\\N");
            return;
        }
        int plain = 0;
        while (plain < value.length() && !special(value.charAt(plain))) {
            plain++;
        }
        if (plain == value.length()) {
            text.append(value);
            return;
        }
        text.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                // PostgreSQL text cannot hold NUL: a visible stand-in (the rules refuse both); the archive has the byte
                case '\0' -> text.append(NUL_STAND_IN);
                default -> text.append(c);
            }
        }
    }

    private static boolean special(char c) {
        return c == '\\' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
    }
}
