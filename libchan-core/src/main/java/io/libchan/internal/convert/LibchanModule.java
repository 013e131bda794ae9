package io.libchan.internal.convert;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.libchan.ByteStream;
import io.libchan.Receiver;
import io.libchan.Sender;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Teaches Jackson the values that are not plain data: {@link Sender}, {@link Receiver},
 * {@link ByteStream}, {@code InputStream}, {@code OutputStream} (nested references),
 * {@code FileDescriptor} and {@code Socket} (passed descriptors, or byte streams where they cannot
 * be passed) and {@link Instant} (time). Serializing hands them to the codec's {@link ReferenceWriter}, or embeds
 * them unchanged when converting in memory; deserializing takes them from embedded values
 * resolved by the codec's {@link ReferenceReader}. Also installs the {@link UntypedDeserializer}.
 */
public final class LibchanModule extends SimpleModule {
    private static final List<Class<?>> SPECIAL = List.of(
            Sender.class, Receiver.class, ByteStream.class, InputStream.class, OutputStream.class, Instant.class,
            FileDescriptor.class, Socket.class);

    public LibchanModule() {
        super("libchan");
        for (Class<?> type : SPECIAL) {
            addSerializer(new SpecialSerializer<>(type));
        }
        addDeserializer(Sender.class, new SpecialDeserializer<>(Sender.class));
        addDeserializer(Receiver.class, new SpecialDeserializer<>(Receiver.class));
        addDeserializer(ByteStream.class, new SpecialDeserializer<>(ByteStream.class));
        addDeserializer(InputStream.class, new SpecialDeserializer<>(InputStream.class));
        addDeserializer(OutputStream.class, new SpecialDeserializer<>(OutputStream.class));
        addDeserializer(Instant.class, new SpecialDeserializer<>(Instant.class));
        addDeserializer(FileDescriptor.class, new SpecialDeserializer<>(FileDescriptor.class));
        addDeserializer(Object.class, new UntypedDeserializer());
    }

    /** True for the values this module writes through a {@link ReferenceWriter}. */
    public static boolean isSpecial(Object value) {
        for (Class<?> type : SPECIAL) {
            if (type.isInstance(value)) {
                return true;
            }
        }
        return false;
    }

    static Object resolveEmbedded(Object embedded, DeserializationContext ctxt) throws IOException {
        Object reader = ctxt.getAttribute(ReferenceReader.ATTRIBUTE);
        if (reader == null) {
            reader = ReferenceReader.CURRENT.get();
        }
        return reader == null ? embedded : ((ReferenceReader) reader).resolve(embedded);
    }

    private static final class SpecialSerializer<T> extends StdSerializer<T> {
        SpecialSerializer(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Object writer = provider.getAttribute(ReferenceWriter.ATTRIBUTE);
            if (writer == null) {
                writer = ReferenceWriter.CURRENT.get();
            }
            if (writer != null) {
                ((ReferenceWriter) writer).write(value, gen);
            } else {
                gen.writeEmbeddedObject(value);
            }
        }
    }

    private static final class SpecialDeserializer<T> extends StdDeserializer<T> {
        private final Class<T> type;

        SpecialDeserializer(Class<T> type) {
            super(type);
            this.type = type;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_EMBEDDED_OBJECT) {
                Object value = resolveEmbedded(p.getEmbeddedObject(), ctxt);
                T adapted = adapt(value);
                if (adapted != null) {
                    return adapted;
                }
                return type.cast(ctxt.handleWeirdNativeValue(ctxt.constructType(type), value, p));
            }
            if (type == Instant.class && token == JsonToken.VALUE_STRING) {
                try {
                    return type.cast(Instant.parse(p.getText()));
                } catch (DateTimeParseException e) {
                    return type.cast(ctxt.handleWeirdStringValue(type, p.getText(), "not an ISO-8601 instant"));
                }
            }
            return type.cast(ctxt.handleUnexpectedToken(type, p));
        }

        private T adapt(Object value) {
            if (type.isInstance(value)) {
                return type.cast(value);
            }
            if (value instanceof ByteStream) {
                ByteStream stream = (ByteStream) value;
                if (type == InputStream.class) {
                    return type.cast(stream.input());
                }
                if (type == OutputStream.class) {
                    return type.cast(stream.output());
                }
            }
            return null;
        }
    }
}
