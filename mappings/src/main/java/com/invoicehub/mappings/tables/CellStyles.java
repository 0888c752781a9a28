package com.invoicehub.mappings.tables;

import java.io.InputStream;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.poi.ss.usermodel.BuiltinFormats;
import org.apache.poi.ss.usermodel.DateUtil;

/**
 * Which cell styles of a workbook format a number as a date: a date cell is a number (days since 1900 or 1904) whose
 * style's number format is a date format, whatever that format displays ({@code 14/10/2026}, {@code Oct-26},
 * {@code yyyy-mm-dd}). Read from {@code styles.xml} with StAX: only the number formats and the cell formats' format
 * ids are kept.
 */
final class CellStyles {

    /** Excel allows 64,000 cell formats; more is not a workbook a partner's program wrote. */
    static final int MAX_CELL_FORMATS = 65_536;

    private final BitSet dateStyles;

    private CellStyles(BitSet dateStyles) {
        this.dateStyles = dateStyles;
    }

    static CellStyles none() {
        return new CellStyles(new BitSet());
    }

    static CellStyles read(InputStream xml, XmlReading reading) throws XMLStreamException {
        Map<Integer, String> customFormats = new HashMap<>();
        BitSet dates = new BitSet();
        XMLStreamReader reader = reading.reader(xml);
        try {
            boolean inCellFormats = false;
            int cellFormat = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (reader.getLocalName()) {
                        case "numFmt" -> {
                            Integer id = integer(reader.getAttributeValue(null, "numFmtId"));
                            String code = reader.getAttributeValue(null, "formatCode");
                            if (id != null && code != null && customFormats.size() < MAX_CELL_FORMATS) {
                                customFormats.put(id, code);
                            }
                        }
                        case "cellXfs" -> inCellFormats = true;
                        case "xf" -> {
                            if (inCellFormats) {
                                if (cellFormat >= MAX_CELL_FORMATS) {
                                    throw new IllegalArgumentException("the workbook has more than "
                                            + MAX_CELL_FORMATS + " cell formats");
                                }
                                Integer id = integer(reader.getAttributeValue(null, "numFmtId"));
                                if (id != null && isDateFormat(id, customFormats)) {
                                    dates.set(cellFormat);
                                }
                                cellFormat++;
                            }
                        }
                        default -> { /* fonts, fills, borders: nothing the hub reads */ }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && reader.getLocalName().equals("cellXfs")) {
                    inCellFormats = false;
                }
            }
        } finally {
            reader.close();
        }
        return new CellStyles(dates);
    }

    private static boolean isDateFormat(int id, Map<Integer, String> customFormats) {
        String code = customFormats.containsKey(id) ? customFormats.get(id) : BuiltinFormats.getBuiltinFormat(id);
        return code != null && DateUtil.isADateFormat(id, code);
    }

    private static Integer integer(String value) {
        try {
            return value == null ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether cells of style {@code index} (the {@code s} attribute; 0 when absent) are dates. */
    boolean isDate(int index) {
        return index >= 0 && dateStyles.get(index);
    }
}
