package com.invoicehub.mappings.tables;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.openxml4j.opc.PackageRelationshipCollection;
import org.apache.poi.openxml4j.opc.PackageRelationshipTypes;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTTcPr;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STMerge;

import com.invoicehub.ingest.mapping.FileRefusedException;
import com.invoicehub.ingest.mapping.ReadLimits;

/**
 * The tables of a DOCX (a letter or a statement) as text by grid column, read with POI's XWPF. XWPF holds the whole
 * document in memory, so the document's text part is bounded first: at most {@link ReadLimits#maxDocumentBytes()}
 * (a letter is a few KB; a larger one is refused whole, like a canonical JSON document). A cell spanning columns
 * ({@code gridSpan}) stands at its first column and shifts none after it; a cell merged down ({@code vMerge}) shows
 * its value in every row it spans, so each of those rows has it. A cell's paragraphs are joined by one space (a
 * paragraph is Word's layout, not the partner's content); a tab or line break inside one stays and is refused by the
 * rules like any control character.
 */
final class DocxTables {

    /** One table: its rows in order, each its cells' text by grid column (from 0); empty cells left out. */
    record Table(List<Map<Integer, String>> rows) {
    }

    private DocxTables() {
    }

    static List<Table> read(InputStream in, ReadLimits limits) throws IOException {
        try (TempCopy copy = TempCopy.of(in, ".docx")) {
            OfficePackage.DOCX.require(copy);
            try (OPCPackage pkg = OPCPackage.open(copy.path().toFile(), PackageAccess.READ)) {
                requireBounded(pkg, limits);
                try (XWPFDocument document = new XWPFDocument(pkg)) {
                    List<Table> tables = new ArrayList<>();
                    for (XWPFTable table : document.getTables()) {
                        tables.add(table(table));
                    }
                    return tables;
                } finally {
                    pkg.revert();
                }
            } catch (FileRefusedException e) {
                throw e;
            } catch (IOException | OpenXML4JException | POIXMLException | IllegalArgumentException
                     | IllegalStateException e) {
                throw new FileRefusedException(unreadable(e));
            }
        }
    }

    private static String unreadable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains("Zip bomb")) {
                return "the document is refused as a zip bomb: a part inflates far beyond its compressed size (the "
                        + "hub keeps POI's limits: at most 100 times, at most 4 GiB a part)";
            }
        }
        return "the file is not a readable DOCX document: " + e.getClass().getSimpleName() + ": "
                + XlsxWorkbook.firstLine(String.valueOf(e.getMessage()));
    }

    /** Counts the main part's bytes as it inflates (a ZIP's declared size may lie), up to the limit. */
    private static void requireBounded(OPCPackage pkg, ReadLimits limits) throws IOException, OpenXML4JException {
        PackageRelationshipCollection main = pkg.getRelationshipsByType(PackageRelationshipTypes.CORE_DOCUMENT);
        if (main.size() == 0) {
            throw new FileRefusedException("the file is a ZIP package but not a DOCX document: it has no main part");
        }
        PackagePart part = pkg.getPart(main.getRelationship(0));
        if (part == null) {
            throw new FileRefusedException("the DOCX document's main part is missing");
        }
        try (InputStream text = part.getInputStream()) {
            long bytes = text.skip(limits.maxDocumentBytes() + 1L);
            while (bytes <= limits.maxDocumentBytes() && text.read() >= 0) {
                bytes++;
                bytes += text.skip(limits.maxDocumentBytes() + 1L - bytes);
            }
            if (bytes > limits.maxDocumentBytes()) {
                throw new FileRefusedException("the document's text (" + part.getPartName().getName()
                        + ") is longer than " + limits.maxDocumentBytes() + " bytes (hub.ingest.max-json-bytes: a "
                        + "document read whole); send the table in a smaller document or as a spreadsheet");
            }
        }
    }

    private static Table table(XWPFTable table) {
        List<Map<Integer, String>> rows = new ArrayList<>();
        Map<Integer, String> above = new HashMap<>();
        for (XWPFTableRow row : table.getRows()) {
            Map<Integer, String> cells = new TreeMap<>();
            Map<Integer, String> shown = new HashMap<>();
            int column = 0;
            for (XWPFTableCell cell : row.getTableCells()) {
                CTTcPr properties = cell.getCTTc().getTcPr();
                int span = properties != null && properties.isSetGridSpan()
                        && properties.getGridSpan().getVal() != null
                        ? Math.max(1, properties.getGridSpan().getVal().intValue()) : 1;
                boolean continued = properties != null && properties.isSetVMerge()
                        && (properties.getVMerge().getVal() == null
                        || properties.getVMerge().getVal() == STMerge.CONTINUE);
                String text = continued ? above.get(column) : text(cell);
                if (text != null && !text.isEmpty()) {
                    cells.put(column, text);
                    shown.put(column, text);
                }
                column += span;
            }
            above = shown;
            rows.add(cells);
        }
        return new Table(rows);
    }

    private static String text(XWPFTableCell cell) {
        return cell.getParagraphs().stream().map(XWPFParagraph::getText).filter(text -> !text.isBlank())
                .collect(Collectors.joining(" "));
    }
}
