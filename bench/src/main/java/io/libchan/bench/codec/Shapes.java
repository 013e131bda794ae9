package io.libchan.bench.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.libchan.Sender;
import io.libchan.bench.Reply;
import io.libchan.bench.Request;
import io.libchan.bench.codec.proto.BenchRecord;
import io.libchan.bench.codec.proto.BenchReply;
import io.libchan.bench.codec.proto.BenchRequest;
import io.libchan.codecs.protobuf.ProtoRefs;

/**
 * The benchmark's messages as a codec takes them: the records {@link Request}, {@link Reply} and
 * {@link Record} for every codec but protobuf, which carries their generated twins from
 * {@code bench.proto}.
 */
abstract class Shapes {
    static final String TEXT = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

    abstract Object request(Sender ret);

    abstract Class<?> requestType();

    abstract Sender retOf(Object request);

    abstract Object reply();

    abstract Class<?> replyType();

    abstract Object record();

    abstract Class<?> recordType();

    static Shapes of(String codec) {
        return codec.equals("protobuf") ? new Protobuf() : new Records();
    }

    private static final class Records extends Shapes {
        private static final Reply REPLY = new Reply(TEXT);
        private static final Record RECORD = Record.sample();

        @Override
        Object request(Sender ret) {
            return new Request(TEXT, ret);
        }

        @Override
        Class<?> requestType() {
            return Request.class;
        }

        @Override
        Sender retOf(Object request) {
            return ((Request) request).ret();
        }

        @Override
        Object reply() {
            return REPLY;
        }

        @Override
        Class<?> replyType() {
            return Reply.class;
        }

        @Override
        Object record() {
            return RECORD;
        }

        @Override
        Class<?> recordType() {
            return Record.class;
        }
    }

    static final class Protobuf extends Shapes {
        private static final BenchReply REPLY = BenchReply.newBuilder().setBody(TEXT).build();
        static final BenchRecord RECORD = record(Record.sample());

        private static BenchRecord record(Record r) {
            return BenchRecord.newBuilder().setId(r.id()).setName(r.name()).setDescription(r.description())
                    .addAllValues(r.values()).setData(ByteString.copyFrom(r.data()))
                    .setAt(Timestamp.newBuilder().setSeconds(r.at().getEpochSecond()).setNanos(r.at().getNano()))
                    .setActive(r.active()).setScore(r.score()).build();
        }

        @Override
        Object request(Sender ret) {
            return BenchRequest.newBuilder().setCmd(TEXT).setRet(ProtoRefs.of(ret)).build();
        }

        @Override
        Class<?> requestType() {
            return BenchRequest.class;
        }

        @Override
        Sender retOf(Object request) {
            return ProtoRefs.sender(((BenchRequest) request).getRet());
        }

        @Override
        Object reply() {
            return REPLY;
        }

        @Override
        Class<?> replyType() {
            return BenchReply.class;
        }

        @Override
        Object record() {
            return RECORD;
        }

        @Override
        Class<?> recordType() {
            return BenchRecord.class;
        }
    }
}
