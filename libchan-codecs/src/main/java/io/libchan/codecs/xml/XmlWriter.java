package io.libchan.codecs.xml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Writes a message's tokens as the elements of {@link XmlForms}. One per message; not thread-safe. */
final class XmlWriter {
    private final XMLStreamWriter out;
    private final EncodeContext refs;

    XmlWriter(XMLStreamWriter out, EncodeContext refs) {
        this.out = out;
        this.refs = refs;
    }

    /** Writes the value that starts with {@code t}, the parser's current token. */
    void value(JsonParser p, JsonToken t) throws IOException, XMLStreamException {
        switch (t) {
            case START_OBJECT:
                out.writeStartElement(XmlForms.MAP);
                for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
                    out.writeStartElement(XmlForms.ENTRY);
                    String key = p.currentName();
                    if (XmlForms.carries(key, true)) {
                        out.writeAttribute(XmlForms.KEY, key);
                    } else {
                        out.writeAttribute(XmlForms.KEY64, base64(key));
                    }
                    value(p, p.nextToken());
                    out.writeEndElement();
                }
                out.writeEndElement();
                break;
            case START_ARRAY:
                out.writeStartElement(XmlForms.LIST);
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    value(p, v);
                }
                out.writeEndElement();
                break;
            case VALUE_STRING:
                String text = p.getText();
                if (XmlForms.carries(text, false)) {
                    element(XmlForms.STRING, text);
                } else {
                    element(XmlForms.STRING64, base64(text));
                }
                break;
            case VALUE_NUMBER_INT:
                element(XmlForms.INT, p.getNumberValue().toString());
                break;
            case VALUE_NUMBER_FLOAT:
                element(XmlForms.FLOAT, p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
                        ? p.getDecimalValue().toString() : Double.toString(p.getDoubleValue()));
                break;
            case VALUE_TRUE:
            case VALUE_FALSE:
                element(XmlForms.BOOL, Boolean.toString(t == JsonToken.VALUE_TRUE));
                break;
            case VALUE_NULL:
                out.writeEmptyElement(XmlForms.NULL);
                break;
            case VALUE_EMBEDDED_OBJECT:
                embedded(p.getEmbeddedObject());
                break;
            default:
                throw new IllegalStateException("unexpected token " + t);
        }
    }

    private void embedded(Object value) throws XMLStreamException {
        if (value == null) {
            out.writeEmptyElement(XmlForms.NULL);
        } else if (value instanceof byte[]) {
            element(XmlForms.BIN, Base64.getEncoder().encodeToString((byte[]) value));
        } else if (value instanceof Instant) {
            element(XmlForms.TIME, value.toString());
        } else {
            Reference ref = refs.reference(value);
            String name;
            String mode = null;
            switch (ref.kind()) {
                case SENDER: name = XmlForms.SENDER; break;
                case RECEIVER: name = XmlForms.RECEIVER; break;
                case FILE_DESCRIPTOR: name = XmlForms.FD; break;
                case BYTE_STREAM_READ: name = XmlForms.STREAM; mode = "read"; break;
                case BYTE_STREAM_WRITE: name = XmlForms.STREAM; mode = "write"; break;
                default: name = XmlForms.STREAM;
            }
            out.writeEmptyElement(name);
            out.writeAttribute(XmlForms.ID, Long.toUnsignedString(ref.id()));
            if (mode != null) {
                out.writeAttribute(XmlForms.MODE, mode);
            }
        }
    }

    private void element(String name, String text) throws XMLStreamException {
        out.writeStartElement(name);
        out.writeCharacters(text);
        out.writeEndElement();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
