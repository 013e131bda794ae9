package io.libchan.codecs.xml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import io.libchan.ProtocolException;
import io.libchan.Settings;
import io.libchan.codecs.LengthPrefixed;
import io.libchan.codecs.Untyped;
import io.libchan.internal.codec.CodecErrors;
import io.libchan.internal.convert.MessageConverter;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageFramer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * Messages as XML documents (UTF-8, no declaration), each behind a length prefix
 * ({@link LengthPrefixed}), in the typed elements of {@link XmlForms}. The StAX reader and writer
 * are those of Jackson's {@code jackson-dataformat-xml} (Woodstox); its data binding is not used:
 * it reads every scalar back as text and a one-element list as a scalar, where a libchan message
 * must read back as it was sent. DTDs are off in the reader and refused when met, so entity
 * expansion and external entities (XXE) cannot happen. Thread-safe.
 */
final class XmlCodec implements MessageCodec {
    private static final XMLInputFactory INPUT = hardened(new XmlFactory().getXMLInputFactory());
    private static final XMLOutputFactory OUTPUT = new XmlFactory().getXMLOutputFactory();

    private final int maxBytes;
    private final int maxDepth;

    XmlCodec(Settings settings) {
        this.maxBytes = settings.maxMessageBytes();
        this.maxDepth = settings.maxNestingDepth();
    }

    private static XMLInputFactory hardened(XMLInputFactory f) {
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setXMLResolver((publicId, systemId, base, namespace) -> {
            throw new XMLStreamException("external entities are refused: " + systemId);
        });
        return f;
    }

    @Override
    public String name() {
        return "xml";
    }

    @Override
    public MessageFramer newFramer() {
        return LengthPrefixed.framer("XML", maxBytes);
    }

    @Override
    public byte[] encode(Object message, EncodeContext refs) {
        Buffer out = new Buffer();
        try (JsonParser tokens = Untyped.tokens(message)) {
            XMLStreamWriter w = OUTPUT.createXMLStreamWriter(out, "UTF-8");
            JsonToken first = tokens.nextToken();
            new XmlWriter(w, refs).value(tokens, first);
            w.writeEndDocument();
            w.close();
        } catch (IOException e) {
            throw CodecErrors.encode(message, e);
        } catch (XMLStreamException e) {
            RuntimeException own = CodecErrors.ours(e);
            throw own != null ? own : new io.libchan.MessageTypeException("cannot write " + message.getClass().getName()
                    + " as XML: " + e.getMessage(), message, e);
        }
        return LengthPrefixed.seal(out.array(), out.size(), "XML", maxBytes);
    }

    @Override
    public <T> T decode(byte[] buf, int off, int len, Class<T> type, DecodeContext refs) {
        int body = LengthPrefixed.body(buf, off, len, "XML", maxBytes);
        Object untyped;
        XMLStreamReader r = null;
        try {
            r = INPUT.createXMLStreamReader(new ByteArrayInputStream(buf, off + LengthPrefixed.PREFIX, body), "UTF-8");
            untyped = new XmlReader(r, refs, maxDepth).document();
        } catch (XMLStreamException e) {
            RuntimeException own = CodecErrors.ours(e);
            throw own != null ? own : new ProtocolException("malformed XML message: " + e.getMessage(), false, e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException e) {
                    // nothing held
                }
            }
        }
        return MessageConverter.convert(untyped, type);
    }

    /** A byte array output stream that starts with room for the length prefix and lends its array. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(256);
            count = LengthPrefixed.PREFIX;
        }

        byte[] array() {
            return buf;
        }
    }
}
