package com.invoicehub.mappings.tables;

import java.io.InputStream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.poi.util.XMLHelper;

/**
 * StAX readers for the parts of an Office file: POI's hardened factory (no DTDs, no external entities, so a crafted
 * part cannot reach the network or the disk), text delivered in pieces rather than whole (see {@link BoundedText}).
 */
final class XmlReading {

    private final XMLInputFactory factory;

    XmlReading() {
        factory = XMLHelper.newXMLInputFactory();
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
    }

    XMLStreamReader reader(InputStream xml) throws XMLStreamException {
        return factory.createXMLStreamReader(xml);
    }
}
