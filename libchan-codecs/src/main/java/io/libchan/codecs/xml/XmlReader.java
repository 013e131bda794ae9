package io.libchan.codecs.xml;

import io.libchan.ProtocolException;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the elements of {@link XmlForms} into the untyped form of a message, references resolved,
 * nesting bounded. A document type declaration is refused wherever it stands, so no entity is ever
 * declared, expanded or fetched. One per message; not thread-safe.
 */
final class XmlReader {
    private final XMLStreamReader in;
    private final DecodeContext refs;
    private final int maxDepth;

    XmlReader(XMLStreamReader in, DecodeContext refs, int maxDepth) {
        this.in = in;
        this.refs = refs;
        this.maxDepth = maxDepth;
    }

    /** The whole document's one value. */
    Object document() throws XMLStreamException {
        if (next() != XMLStreamConstants.START_ELEMENT) {
            throw new ProtocolException("XML message without an element");
        }
        Object value = value(0);
        if (next() != XMLStreamConstants.END_DOCUMENT) {
            throw new ProtocolException("XML message with more than one element");
        }
        return value;
    }

    /** The next event that is not white space, a comment or a processing instruction; DTDs refused. */
    private int next() throws XMLStreamException {
        while (true) {
            int e = in.next();
            switch (e) {
                case XMLStreamConstants.DTD:
                case XMLStreamConstants.ENTITY_REFERENCE:
                case XMLStreamConstants.ENTITY_DECLARATION:
                    throw new ProtocolException("XML message with a document type declaration or entity: refused");
                case XMLStreamConstants.COMMENT:
                case XMLStreamConstants.PROCESSING_INSTRUCTION:
                case XMLStreamConstants.SPACE:
                    continue;
                case XMLStreamConstants.CHARACTERS:
                    if (in.isWhiteSpace()) {
                        continue;
                    }
                    throw new ProtocolException("text where an XML element was expected");
                default:
                    return e;
            }
        }
    }

    /** The value of the element the reader is at the start of; leaves the reader at its end. */
    private Object value(int depth) throws XMLStreamException {
        String name = in.getLocalName();
        switch (name) {
            case XmlForms.MAP:
                return map(depth);
            case XmlForms.LIST:
                return list(depth);
            case XmlForms.STRING:
                return text();
            case XmlForms.STRING64:
                return new String(base64(text()), StandardCharsets.UTF_8);
            case XmlForms.INT:
                return integer(text().trim());
            case XmlForms.FLOAT:
                try {
                    return Double.parseDouble(text().trim());
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad XML float");
                }
            case XmlForms.BOOL:
                String b = text().trim();
                if (!b.equals("true") && !b.equals("false")) {
                    throw new ProtocolException("bad XML boolean: " + b);
                }
                return Boolean.valueOf(b);
            case XmlForms.NULL:
                empty();
                return null;
            case XmlForms.BIN:
                return base64(text());
            case XmlForms.TIME:
                String t = text().trim();
                try {
                    return Instant.parse(t);
                } catch (DateTimeParseException e) {
                    throw new ProtocolException("bad XML time: " + t);
                }
            case XmlForms.SENDER:
                return reference(ReferenceKind.SENDER);
            case XmlForms.RECEIVER:
                return reference(ReferenceKind.RECEIVER);
            case XmlForms.FD:
                return reference(ReferenceKind.FILE_DESCRIPTOR);
            case XmlForms.STREAM:
                String mode = in.getAttributeValue(null, XmlForms.MODE);
                ReferenceKind kind = mode == null ? ReferenceKind.BYTE_STREAM
                        : mode.equals("read") ? ReferenceKind.BYTE_STREAM_READ
                        : mode.equals("write") ? ReferenceKind.BYTE_STREAM_WRITE : null;
                if (kind == null) {
                    throw new ProtocolException("bad byte stream mode: " + mode);
                }
                return reference(kind);
            default:
                throw new ProtocolException("unknown XML element <" + name + ">");
        }
    }

    private Map<String, Object> map(int depth) throws XMLStreamException {
        checkDepth(depth);
        Map<String, Object> map = new LinkedHashMap<>();
        while (next() == XMLStreamConstants.START_ELEMENT) {
            if (!in.getLocalName().equals(XmlForms.ENTRY)) {
                throw new ProtocolException("<" + in.getLocalName() + "> in an XML map, where <e> belongs");
            }
            String key = in.getAttributeValue(null, XmlForms.KEY);
            if (key == null) {
                String key64 = in.getAttributeValue(null, XmlForms.KEY64);
                if (key64 == null) {
                    throw new ProtocolException("XML map entry without a key");
                }
                key = new String(base64(key64), StandardCharsets.UTF_8);
            }
            if (next() != XMLStreamConstants.START_ELEMENT) {
                throw new ProtocolException("XML map entry '" + key + "' without a value");
            }
            map.put(key, value(depth + 1));
            if (next() != XMLStreamConstants.END_ELEMENT) {
                throw new ProtocolException("XML map entry '" + key + "' with more than one value");
            }
        }
        return map;
    }

    private List<Object> list(int depth) throws XMLStreamException {
        checkDepth(depth);
        List<Object> list = new ArrayList<>();
        while (next() == XMLStreamConstants.START_ELEMENT) {
            list.add(value(depth + 1));
        }
        return list;
    }

    private void checkDepth(int depth) {
        if (depth >= maxDepth) {
            throw new ProtocolException("XML message nested deeper than " + maxDepth);
        }
    }

    /** The element's text; child elements are an error. */
    private String text() throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        while (true) {
            int e = in.next();
            switch (e) {
                case XMLStreamConstants.CHARACTERS:
                case XMLStreamConstants.CDATA:
                case XMLStreamConstants.SPACE:
                    text.append(in.getText());
                    break;
                case XMLStreamConstants.COMMENT:
                case XMLStreamConstants.PROCESSING_INSTRUCTION:
                    break;
                case XMLStreamConstants.END_ELEMENT:
                    return text.toString();
                case XMLStreamConstants.ENTITY_REFERENCE:
                case XMLStreamConstants.DTD:
                    throw new ProtocolException("XML message with an entity reference: refused");
                default:
                    throw new ProtocolException("an element inside <" + in.getLocalName() + ">, which holds text only");
            }
        }
    }

    private void empty() throws XMLStreamException {
        if (!text().isEmpty()) {
            throw new ProtocolException("text inside an XML element that must be empty");
        }
    }

    private Object reference(ReferenceKind kind) throws XMLStreamException {
        String id = in.getAttributeValue(null, XmlForms.ID);
        long ref;
        try {
            ref = Long.parseUnsignedLong(id == null ? "" : id.trim());
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad reference id in XML: " + id);
        }
        empty();
        return refs.resolve(new Reference(kind, ref));
    }

    private static Object integer(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            try {
                return new BigInteger(text);
            } catch (NumberFormatException again) {
                throw new ProtocolException("bad XML integer");
            }
        }
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("bad base64 in an XML message");
        }
    }
}
