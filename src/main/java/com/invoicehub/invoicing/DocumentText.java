package com.invoicehub.invoicing;

/**
 * Stored text made safe to put in a document a person or a partner's system reads: the PDF, the CSV, the X12 810 and
 * the mails all take names and descriptions through here. New text with control characters is refused at ingest;
 * this is for what was stored before (and anything else that reaches a document), so one bad name cannot break a
 * PDF, a segment or a mail.
 * <ul>
 * <li>control characters (C0 with NUL, tab, CR, LF and ESC; DEL; C1), line and paragraph separators and every other
 *     kind of space become one plain space; runs of spaces collapse, ends are stripped;</li>
 * <li>bidirectional controls (LRM, RLM, ALM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI) and the byte order mark
 *     are removed, so a name cannot reorder the text around it; right-to-left letters themselves stay;</li>
 * <li>a lone surrogate or a noncharacter (not allowed in XML) becomes U+FFFD.</li>
 * </ul>
 * HTML escaping is not done here: the templates (Thymeleaf {@code th:text}) escape. Delimiters are the concern of
 * each format (X12 replaces its own).
 */
public final class DocumentText {

    /** A name in a layout (PDF, mail, X12 free text) is at most this many characters; longer ones end in "…". */
    public static final int NAME_MAX = 200;

    private DocumentText() {
    }

    /** The text with the characters above replaced or removed; null stays null. */
    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isBidiControl(cp) || cp == 0xFEFF) {
                continue;
            }
            if (Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            if (Character.getType(cp) == Character.SURROGATE || isNoncharacter(cp)) {
                out.append('\uFFFD');
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    /** {@link #clean(String)}, cut to {@link #NAME_MAX} characters (never inside a surrogate pair). */
    public static String name(String text) {
        String clean = clean(text);
        if (clean == null || clean.codePointCount(0, clean.length()) <= NAME_MAX) {
            return clean;
        }
        return clean.substring(0, clean.offsetByCodePoints(0, NAME_MAX - 1)).stripTrailing() + "…";
    }

    private static boolean isBidiControl(int cp) {
        return cp == 0x200E || cp == 0x200F || cp == 0x061C || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069);
    }

    private static boolean isNoncharacter(int cp) {
        return (cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF);
    }
}
