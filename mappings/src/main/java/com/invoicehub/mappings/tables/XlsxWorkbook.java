package com.invoicehub.mappings.tables;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.xssf.eventusermodel.XSSFReader;

import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.ReadLimits;

/**
 * An XLSX workbook opened for streaming: copied to disk, opened as a ZIP package by POI (whose {@code ZipSecureFile}
 * limits refuse a part that inflates more than 100 times its compressed size or beyond 4 GiB: a zip bomb; the hub
 * keeps POI's defaults), its sheet list, 1900 or 1904 date system, date styles and shared strings (on disk) read, and
 * one sheet handed out as a stream of rows. Never {@code XSSFWorkbook}, which holds every cell in memory. Anything that
 * makes the workbook unreadable is a {@link FileRefusedException} with the reason: not a workbook, an encrypted
 * (password-protected) one, an old {@code .xls}, a corrupt ZIP, a zip bomb.
 */
final class XlsxWorkbook implements Closeable {

    record Sheet(String name, String relationId, boolean visible) {
    }

    private final TempCopy copy;
    private final OPCPackage pkg;
    private final XSSFReader reader;
    private final XmlReading xml = new XmlReading();
    private final List<Sheet> sheets = new ArrayList<>();
    private final ReadLimits limits;
    private boolean date1904;
    private CellStyles styles = CellStyles.none();
    private SharedStringsFile strings;

    private XlsxWorkbook(TempCopy copy, OPCPackage pkg, XSSFReader reader, ReadLimits limits) {
        this.copy = copy;
        this.pkg = pkg;
        this.reader = reader;
        this.limits = limits;
    }

    static XlsxWorkbook open(InputStream in, ReadLimits limits) throws IOException {
        TempCopy copy = TempCopy.of(in, ".xlsx");
        OPCPackage pkg = null;
        XlsxWorkbook workbook = null;
        try {
            OfficePackage.XLSX.require(copy);
            pkg = OPCPackage.open(copy.path().toFile(), PackageAccess.READ);
            workbook = new XlsxWorkbook(copy, pkg, new XSSFReader(pkg), limits);
            workbook.readWorkbook();
            workbook.readStyles();
            workbook.readSharedStrings();
            return workbook;
        } catch (FileRefusedException e) {
            closeQuietly(workbook, pkg, copy);
            throw e;
        } catch (IOException | OpenXML4JException | XMLStreamException | RuntimeException e) {
            closeQuietly(workbook, pkg, copy);
            throw new FileRefusedException(unreadable(e));
        }
    }

    /** What a partner is told when the workbook cannot be read: POI's message, made plain for the usual causes. */
    static String unreadable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("Zip bomb")) {
                return "the workbook is refused as a zip bomb: a part inflates far beyond its compressed size (the "
                        + "hub keeps POI's limits: at most 100 times, at most 4 GiB a part); "
                        + firstLine(message);
            }
        }
        return "the file is not a readable XLSX workbook: " + e.getClass().getSimpleName() + ": "
                + firstLine(String.valueOf(e.getMessage()));
    }

    static String firstLine(String message) {
        return message.lines().findFirst().orElse("");
    }

    /** The sheets in the workbook's order, and its date system, from {@code workbook.xml}. */
    private void readWorkbook() throws IOException, OpenXML4JException, XMLStreamException {
        try (InputStream in = reader.getWorkbookData()) {
            XMLStreamReader workbook = xml.reader(in);
            try {
                while (workbook.hasNext()) {
                    if (workbook.next() != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    if (workbook.getLocalName().equals("workbookPr")) {
                        String value = workbook.getAttributeValue(null, "date1904");
                        date1904 = "1".equals(value) || "true".equalsIgnoreCase(value);
                    } else if (workbook.getLocalName().equals("sheet")) {
                        String relationId = null;
                        for (int i = 0; i < workbook.getAttributeCount(); i++) {
                            if (workbook.getAttributeLocalName(i).equals("id")
                                    && workbook.getAttributeNamespace(i) != null) {
                                relationId = workbook.getAttributeValue(i);
                            }
                        }
                        String state = workbook.getAttributeValue(null, "state");
                        sheets.add(new Sheet(workbook.getAttributeValue(null, "name"), relationId,
                                state == null || state.equals("visible")));
                    }
                }
            } finally {
                workbook.close();
            }
        }
        if (sheets.isEmpty()) {
            throw new FileRefusedException("the workbook has no sheet");
        }
    }

    private void readStyles() throws IOException, XMLStreamException {
        InputStream in = optionalPart(Part.STYLES);
        if (in != null) {
            try (in) {
                styles = CellStyles.read(in, xml);
            }
        }
    }

    private void readSharedStrings() throws IOException, XMLStreamException {
        InputStream in = optionalPart(Part.SHARED_STRINGS);
        if (in == null) {
            strings = SharedStringsFile.none();
            return;
        }
        try (in) {
            strings = SharedStringsFile.read(in, xml, limits.maxLineBytes());
        }
    }

    private enum Part { STYLES, SHARED_STRINGS }

    /** A workbook may have no styles or no shared strings (every text inline); POI says so by an exception. */
    private InputStream optionalPart(Part part) throws IOException {
        try {
            return part == Part.STYLES ? reader.getStylesData() : reader.getSharedStringsData();
        } catch (OpenXML4JException | IllegalArgumentException | IllegalStateException e) {
            return null;
        }
    }

    List<Sheet> sheets() {
        return sheets;
    }

    /** The sheet named {@code name}, or the first visible one when {@code name} is null. */
    Sheet sheet(String name) {
        for (Sheet sheet : sheets) {
            if (name == null ? sheet.visible() : name.equals(sheet.name())) {
                return sheet;
            }
        }
        throw new FileRefusedException(name == null ? "the workbook has no visible sheet"
                : "the workbook has no sheet named '" + name + "'; its sheets: "
                + sheets.stream().map(Sheet::name).toList());
    }

    SheetRows rows(Sheet sheet) throws IOException {
        if (sheet.relationId() == null) {
            throw new FileRefusedException("sheet '" + sheet.name() + "' names no part of the workbook");
        }
        try {
            return new SheetRows(sheet.name(), reader.getSheet(sheet.relationId()), xml, styles, strings, date1904,
                    limits);
        } catch (OpenXML4JException | XMLStreamException | IllegalArgumentException e) {
            throw new FileRefusedException("sheet '" + sheet.name() + "' cannot be read: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        closeQuietly(this, pkg, copy);
    }

    private static void closeQuietly(XlsxWorkbook workbook, OPCPackage pkg, TempCopy copy) {
        if (workbook != null && workbook.strings != null) {
            try {
                workbook.strings.close();
            } catch (IOException ignored) {
                // a temp file left behind is all that can go wrong here
            }
        }
        if (pkg != null) {
            pkg.revert(); // opened read-only: nothing to save
        }
        try {
            copy.close();
        } catch (IOException ignored) {
            // as above
        }
    }

}
