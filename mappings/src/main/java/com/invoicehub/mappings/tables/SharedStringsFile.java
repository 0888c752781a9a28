package com.invoicehub.mappings.tables;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A workbook's shared strings (the text of its text cells, each stored once) on local disk, not in the heap: a sheet of
 * 200,000 rows of ids and names holds a million of them, and POI's own tables keep them all as Java strings. Each is
 * written as UTF-8 to a data file, its offset and sizes to an index; both are memory-mapped (outside the heap), so a
 * cell's look-up costs no allocation but its string. A string longer than a row may be is kept cut, its full size
 * known, so its row becomes a PARSE_ERROR row of its own.
 */
final class SharedStringsFile implements Closeable {

    /** A shared string as kept: its text (cut when {@code fullBytes} says it was longer) and its full UTF-8 size. */
    record Entry(String text, long fullBytes) {
    }

    private static final int INDEX_ENTRY = 16; // offset (8), kept bytes (4), full bytes (4, saturated)

    private final TempCopy data;
    private final TempCopy index;
    private final int count;
    private final MappedByteBuffer dataMap;
    private final MappedByteBuffer indexMap;

    private SharedStringsFile(TempCopy data, TempCopy index, int count) throws IOException {
        this.data = data;
        this.index = index;
        this.count = count;
        this.dataMap = map(data);
        this.indexMap = map(index);
    }

    private static MappedByteBuffer map(TempCopy file) throws IOException {
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the workbook's shared strings take more than 2 GiB");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
    }

    static SharedStringsFile none() throws IOException {
        return new SharedStringsFile(TempCopy.empty(".strings"), TempCopy.empty(".index"), 0);
    }

    /** Reads {@code sharedStrings.xml}; each string kept up to {@code maxChars} characters. */
    static SharedStringsFile read(InputStream xml, XmlReading reading, int maxChars)
            throws IOException, XMLStreamException {
        TempCopy data = TempCopy.empty(".strings");
        TempCopy index = TempCopy.empty(".index");
        int count = 0;
        try (OutputStream dataOut = new BufferedOutputStream(Files.newOutputStream(data.path()), 1 << 16);
             DataOutputStream indexOut = new DataOutputStream(new BufferedOutputStream(
                     Files.newOutputStream(index.path()), 1 << 16))) {
            XMLStreamReader reader = reading.reader(xml);
            long offset = 0;
            try {
                while (reader.hasNext()) {
                    if (reader.next() == XMLStreamConstants.START_ELEMENT && reader.getLocalName().equals("si")) {
                        BoundedText text = stringItem(reader, maxChars);
                        byte[] bytes = text.kept().getBytes(StandardCharsets.UTF_8);
                        dataOut.write(bytes);
                        indexOut.writeLong(offset);
                        indexOut.writeInt(bytes.length);
                        indexOut.writeInt((int) Math.min(Integer.MAX_VALUE, text.bytes()));
                        offset += bytes.length;
                        if (++count == Integer.MAX_VALUE / INDEX_ENTRY) {
                            throw new IllegalArgumentException("the workbook has more than " + count
                                    + " shared strings");
                        }
                    }
                }
            } finally {
                reader.close();
            }
        } catch (IOException | XMLStreamException | RuntimeException e) {
            data.close();
            index.close();
            throw e;
        }
        return new SharedStringsFile(data, index, count);
    }

    /**
     * An item's text: its {@code <t>} and its rich-text runs' {@code <r><t>}, without the phonetic guide
     * ({@code <rPh>}), which is a reading aid for East Asian text, not content.
     */
    static BoundedText stringItem(XMLStreamReader reader, int maxChars) throws XMLStreamException {
        BoundedText text = new BoundedText(maxChars);
        int depth = 1;
        int phonetic = 0;
        boolean inText = false;
        while (depth > 0) {
            switch (reader.next()) {
                case XMLStreamConstants.START_ELEMENT -> {
                    depth++;
                    String name = reader.getLocalName();
                    if (name.equals("rPh")) {
                        phonetic++;
                    } else if (name.equals("t") && phonetic == 0) {
                        inText = true;
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    depth--;
                    String name = reader.getLocalName();
                    if (name.equals("rPh")) {
                        phonetic--;
                    } else if (name.equals("t")) {
                        inText = false;
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (inText) {
                        text.add(reader);
                    }
                }
                default -> { /* not text */ }
            }
        }
        return text;
    }

    int count() {
        return count;
    }

    /** The string at {@code position} (0-based), or null when the workbook has no such string. */
    Entry get(int position) {
        if (position < 0 || position >= count) {
            return null;
        }
        int at = position * INDEX_ENTRY;
        long offset = indexMap.getLong(at);
        int kept = indexMap.getInt(at + 8);
        int full = indexMap.getInt(at + 12);
        byte[] bytes = new byte[kept];
        dataMap.get((int) offset, bytes);
        return new Entry(new String(bytes, StandardCharsets.UTF_8), full);
    }

    @Override
    public void close() throws IOException {
        try {
            data.close();
        } finally {
            index.close();
        }
    }

}
