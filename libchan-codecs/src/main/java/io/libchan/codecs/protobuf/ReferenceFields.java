package io.libchan.codecs.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.libchan.ProtocolException;
import io.libchan.proto.Reference;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.UnaryOperator;

/**
 * Finds the {@code libchan.Reference} fields of a message, at any depth, in field-number order,
 * and rebuilds the message with each replaced. Message types that cannot hold one are skipped
 * without looking at their values. Thread-safe.
 */
final class ReferenceFields {
    static final String REFERENCE = "libchan.Reference";
    /** Per message type: can a value of it hold a reference? Weak: types of an undeployed application go. */
    private static final Map<Descriptor, Boolean> HOLDS = Collections.synchronizedMap(new WeakHashMap<>());

    private ReferenceFields() {
    }

    /** {@code m} with {@code replace} applied to each reference in it; {@code m} itself when it holds none. */
    static Message rewrite(Message m, UnaryOperator<Reference> replace) {
        Descriptor d = m.getDescriptorForType();
        if (!holds(d)) {
            return m;
        }
        Message.Builder b = null;
        for (FieldDescriptor fd : d.getFields()) {
            if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE || !holdsOrIs(fd.getMessageType())) {
                continue;
            }
            if (fd.isRepeated()) {
                int n = m.getRepeatedFieldCount(fd);
                for (int i = 0; i < n; i++) {
                    Message v = (Message) m.getRepeatedField(fd, i);
                    Message w = one(v, replace);
                    if (w != v) {
                        b = b != null ? b : m.toBuilder();
                        b.setRepeatedField(fd, i, w);
                    }
                }
            } else if (m.hasField(fd)) {
                Message v = (Message) m.getField(fd);
                Message w = one(v, replace);
                if (w != v) {
                    b = b != null ? b : m.toBuilder();
                    b.setField(fd, w);
                }
            }
        }
        return b == null ? m : b.build();
    }

    private static Message one(Message v, UnaryOperator<Reference> replace) {
        if (!v.getDescriptorForType().getFullName().equals(REFERENCE)) {
            return rewrite(v, replace);
        }
        Reference ref;
        if (v instanceof Reference) {
            ref = (Reference) v;
        } else {
            try { // a DynamicMessage of the type
                ref = Reference.parseFrom(v.toByteString());
            } catch (InvalidProtocolBufferException e) {
                throw new ProtocolException("bad libchan.Reference: " + e.getMessage());
            }
        }
        return replace.apply(ref);
    }

    private static boolean holdsOrIs(Descriptor d) {
        return d.getFullName().equals(REFERENCE) || holds(d);
    }

    /** True when a message of type {@code d} may hold a reference in some field, at any depth. */
    static boolean holds(Descriptor d) {
        Boolean known = HOLDS.get(d);
        if (known == null) {
            known = search(d, new HashSet<>());
            HOLDS.put(d, known);
        }
        return known;
    }

    private static boolean search(Descriptor d, Set<String> seen) {
        if (!seen.add(d.getFullName())) {
            return false; // a recursive type: already being looked at
        }
        for (FieldDescriptor fd : d.getFields()) {
            if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && (fd.getMessageType().getFullName().equals(REFERENCE) || search(fd.getMessageType(), seen))) {
                return true;
            }
        }
        return false;
    }
}
