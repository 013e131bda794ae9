package io.libchan.codecs.protobuf;

import com.google.protobuf.Any;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.libchan.MessageTypeException;
import io.libchan.ProtocolException;
import io.libchan.Settings;
import io.libchan.codecs.LengthPrefixed;
import io.libchan.proto.Reference;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.MessageFramer;
import io.libchan.spi.ReferenceKind;
import java.util.Map;
import java.util.TreeSet;

/**
 * Protobuf sessions (PROTOCOL.md section 15.4): every message is a generated protobuf message,
 * sent as a {@code google.protobuf.Any} (its type name, then its bytes) behind a length prefix
 * ({@link LengthPrefixed}). Nested channels and byte streams are {@code libchan.Reference} fields
 * (see {@link ProtoRefs}). A receiver names the class it expects: a message of another type, or
 * with fields that class does not know (a newer schema), is a {@link MessageTypeException}
 * carrying the {@code Any}; {@code Object} or {@code Any} takes any message as its {@code Any},
 * references left unresolved. Anything but a protobuf message cannot be sent. Thread-safe.
 */
final class ProtobufCodec implements MessageCodec {
    private final int maxBytes;
    private final int maxDepth;

    ProtobufCodec(Settings settings) {
        this.maxBytes = settings.maxMessageBytes();
        this.maxDepth = settings.maxNestingDepth();
    }

    @Override
    public String name() {
        return "protobuf";
    }

    @Override
    public MessageFramer newFramer() {
        return LengthPrefixed.framer("protobuf", maxBytes);
    }

    @Override
    public byte[] encode(Object message, EncodeContext refs) {
        if (!(message instanceof Message)) {
            throw new MessageTypeException("a protobuf session carries protobuf messages only, not "
                    + (message == null ? "null" : message.getClass().getName()), message, null);
        }
        Message wire;
        try {
            wire = ReferenceFields.rewrite((Message) message, handle -> {
                io.libchan.spi.Reference ref = refs.reference(ProtoRefs.live(handle));
                return Reference.newBuilder().setId(ref.id()).setKindValue(kindNumber(ref.kind())).build();
            });
        } catch (IllegalArgumentException e) {
            throw new MessageTypeException(e.getMessage(), message, e);
        }
        Any any = message instanceof Any ? (Any) message : Any.pack(wire);
        int size = any.getSerializedSize();
        if (size > maxBytes) {
            throw new io.libchan.MessageTooLargeException("protobuf message of " + size + " bytes is over the limit of " + maxBytes);
        }
        byte[] out = new byte[LengthPrefixed.PREFIX + size];
        com.google.protobuf.CodedOutputStream coded = com.google.protobuf.CodedOutputStream.newInstance(
                out, LengthPrefixed.PREFIX, size);
        try {
            any.writeTo(coded);
            coded.checkNoSpaceLeft();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e); // an array of the exact size does not fail
        }
        return LengthPrefixed.seal(out, out.length, "protobuf", maxBytes);
    }

    @Override
    public <T> T decode(byte[] buf, int off, int len, Class<T> type, DecodeContext refs) {
        int body = LengthPrefixed.body(buf, off, len, "protobuf", maxBytes);
        Any any;
        try {
            any = Any.parseFrom(CodedInputStream.newInstance(buf, off + LengthPrefixed.PREFIX, body));
        } catch (java.io.IOException e) {
            throw new ProtocolException("malformed protobuf message: " + e.getMessage(), false, e);
        }
        if (any.getTypeUrl().isEmpty()) {
            throw new ProtocolException("protobuf message without a type");
        }
        if (type == Object.class || type == Any.class) {
            return type.cast(any);
        }
        if (!Message.class.isAssignableFrom(type)) {
            throw new MessageTypeException("a protobuf session delivers protobuf messages: receive a generated class, "
                    + "Any or Object, not " + type.getName(), any, null);
        }
        Message prototype = Prototypes.of(type);
        String expected = prototype.getDescriptorForType().getFullName();
        String sent = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
        if (!sent.equals(expected)) {
            throw new MessageTypeException("a " + sent + " cannot be received as " + expected, any, null);
        }
        Message m;
        try {
            CodedInputStream in = any.getValue().newCodedInput();
            in.setRecursionLimit(maxDepth);
            m = prototype.getParserForType().parseFrom(in);
        } catch (java.io.IOException e) {
            throw new ProtocolException("malformed " + expected + ": " + e.getMessage(), false, e);
        }
        TreeSet<String> unknown = new TreeSet<>();
        unknownFields(m, "", unknown);
        if (!unknown.isEmpty()) {
            throw new MessageTypeException("the " + expected + " has fields this receiver's schema does not know, or of another type: "
                    + unknown, any, null);
        }
        Message resolved = ReferenceFields.rewrite(m, ref -> {
            ReferenceKind kind = kindOf(ref);
            Object live = refs.resolve(new io.libchan.spi.Reference(kind, ref.getId()));
            return ProtoRefs.handle(live, ref.getKind());
        });
        return type.cast(resolved);
    }

    /** The numbers of the fields of {@code m} (and of its messages) the schema does not know, as paths. */
    private static void unknownFields(Message m, String path, TreeSet<String> into) {
        for (Map.Entry<Integer, UnknownFieldSet.Field> f : m.getUnknownFields().asMap().entrySet()) {
            into.add(path + f.getKey());
        }
        for (Map.Entry<com.google.protobuf.Descriptors.FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
            if (f.getKey().getJavaType() != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            String at = path + f.getKey().getName() + ".";
            if (f.getKey().isRepeated()) {
                for (Object v : (java.util.List<?>) f.getValue()) {
                    unknownFields((Message) v, at, into);
                }
            } else {
                unknownFields((Message) f.getValue(), at, into);
            }
        }
    }

    private static ReferenceKind kindOf(Reference ref) {
        switch (ref.getKindValue()) {
            case 1: return ReferenceKind.BYTE_STREAM;
            case 2: return ReferenceKind.BYTE_STREAM_WRITE;
            case 3: return ReferenceKind.BYTE_STREAM_READ;
            case 4: return ReferenceKind.SENDER;
            case 5: return ReferenceKind.RECEIVER;
            case 64: return ReferenceKind.FILE_DESCRIPTOR;
            default: throw new ProtocolException("libchan.Reference " + ref.getId() + " of no known kind (" + ref.getKindValue() + ")");
        }
    }

    private static int kindNumber(ReferenceKind kind) {
        switch (kind) {
            case BYTE_STREAM: return 1;
            case BYTE_STREAM_WRITE: return 2;
            case BYTE_STREAM_READ: return 3;
            case SENDER: return 4;
            case RECEIVER: return 5;
            default: return 64;
        }
    }
}
