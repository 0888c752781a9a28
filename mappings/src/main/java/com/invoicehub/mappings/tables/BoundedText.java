package com.invoicehub.mappings.tables;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Text of an XML element read in pieces and kept only up to a limit, its full size in UTF-8 bytes counted on, so
 * no cell (however long the partner made it) costs more memory than one row may take.
 */
final class BoundedText {

    private final StringBuilder kept = new StringBuilder();
    private final int maxChars;
    private long bytes;
    private long keptBytes;

    BoundedText(int maxChars) {
        this.maxChars = maxChars;
    }

    void add(XMLStreamReader xml) {
        char[] chars = xml.getTextCharacters();
        int start = xml.getTextStart();
        int length = xml.getTextLength();
        bytes += utf8Bytes(chars, start, length);
        int room = maxChars - kept.length();
        if (room > 0) {
            int taken = Math.min(room, length);
            kept.append(chars, start, taken);
            keptBytes += utf8Bytes(chars, start, taken);
        }
    }

    /** Adds the text inside the element the reader stands on, up to its end tag (nested elements' text too). */
    void addElement(XMLStreamReader xml) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            switch (xml.next()) {
                case XMLStreamConstants.START_ELEMENT -> depth++;
                case XMLStreamConstants.END_ELEMENT -> depth--;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> add(xml);
                default -> { /* comments, processing instructions: not text */ }
            }
        }
    }

    String kept() {
        return kept.toString();
    }

    long bytes() {
        return bytes;
    }

    boolean cut() {
        return bytes > keptBytes;
    }

    static long utf8Bytes(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            bytes += utf8Bytes(text.charAt(i));
        }
        return bytes;
    }

    private static long utf8Bytes(char[] chars, int start, int length) {
        long bytes = 0;
        for (int i = start; i < start + length; i++) {
            bytes += utf8Bytes(chars[i]);
        }
        return bytes;
    }

    /** A surrogate counts 2, so a pair counts the 4 bytes it encodes to. */
    private static int utf8Bytes(char c) {
        return c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
}
