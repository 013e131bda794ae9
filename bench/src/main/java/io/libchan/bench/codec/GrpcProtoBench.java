package io.libchan.bench.codec;

import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.libchan.bench.codec.proto.BenchRecord;
import io.libchan.bench.codec.proto.BenchReply;
import io.libchan.bench.codec.proto.BenchRequest;
import io.libchan.proto.Reference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The protobuf messages of {@link CodecBench} through grpc-java's own protobuf marshaller
 * ({@code ProtoUtils.marshaller}): drained to bytes and parsed back, as they cross a connection.
 * No {@code Any}, no length prefix, and a reference is only its id and kind (grpc opens no stream
 * for it): the baseline of the protobuf codec's rows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class GrpcProtoBench {
    final MethodDescriptor.Marshaller<BenchRequest> request = ProtoUtils.marshaller(BenchRequest.getDefaultInstance());
    final MethodDescriptor.Marshaller<BenchReply> reply = ProtoUtils.marshaller(BenchReply.getDefaultInstance());
    final MethodDescriptor.Marshaller<BenchRecord> record = ProtoUtils.marshaller(BenchRecord.getDefaultInstance());
    final BenchRequest requestMessage = BenchRequest.newBuilder().setCmd(Shapes.TEXT)
            .setRet(Reference.newBuilder().setId(3).setKind(Reference.Kind.SENDER)).build();
    final BenchReply replyMessage = BenchReply.newBuilder().setBody(Shapes.TEXT).build();

    static <T> T roundTrip(MethodDescriptor.Marshaller<T> m, T message) {
        try {
            // drained to bytes first: parse() would hand back the very object of its own stream
            byte[] bytes = m.stream(message).readAllBytes();
            return m.parse(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int size(MethodDescriptor.Marshaller<BenchRecord> m, BenchRecord message) {
        try {
            return m.stream(message).readAllBytes().length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public Object grpcRequestReply() {
        Object got = roundTrip(request, requestMessage);
        roundTrip(reply, replyMessage);
        return got;
    }

    @Benchmark
    public Object grpcRecord() {
        return roundTrip(record, Shapes.Protobuf.RECORD);
    }
}
