package com.invoicehub.mappings.tables;

import java.io.IOException;

import org.apache.poi.poifs.filesystem.FileMagic;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

import com.invoicehub.ingest.mapping.FileRefusedException;

/**
 * The one check both Office layouts make before POI opens a file: it must be an OOXML (ZIP) package. An OLE2 file is
 * refused with what it is (an encrypted package, or the older binary format), anything else with its first bytes.
 */
enum OfficePackage {

    XLSX("an XLSX workbook", "workbook", "an Excel 97-2003 workbook (.xls)", "an Excel workbook (.xlsx)"),
    DOCX("a DOCX document", "document", "a Word 97-2003 document (.doc)", "a Word document (.docx)");

    private final String name;
    private final String thing;
    private final String older;
    private final String saveAs;

    OfficePackage(String name, String thing, String older, String saveAs) {
        this.name = name;
        this.thing = thing;
        this.older = older;
        this.saveAs = saveAs;
    }

    void require(TempCopy copy) throws IOException {
        FileMagic magic = FileMagic.valueOf(copy.path().toFile());
        if (magic == FileMagic.OOXML) {
            return;
        }
        if (magic == FileMagic.OLE2) {
            boolean encrypted;
            try (POIFSFileSystem ole2 = new POIFSFileSystem(copy.path().toFile(), true)) {
                encrypted = ole2.getRoot().hasEntry("EncryptionInfo");
            } catch (IOException | RuntimeException e) {
                throw new FileRefusedException("the file is an OLE2 container, not " + name + ", and a corrupt "
                        + "one: " + e.getMessage());
            }
            throw new FileRefusedException(encrypted
                    ? "the " + thing + " is password-protected (encrypted): the hub cannot read it; send it without "
                    + "a password to open it"
                    : "the file is " + older + " or another OLE2 document, not " + name() + ": save it as "
                    + saveAs);
        }
        throw new FileRefusedException("the file is not " + name + " (a ZIP package): its first bytes look like "
                + (magic == FileMagic.UNKNOWN ? "no known format" : magic.name()));
    }
}
