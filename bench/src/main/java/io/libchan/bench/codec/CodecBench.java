package io.libchan.bench.codec;

import io.libchan.Dialect;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.internal.codec.MessageCodecs;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.ReferenceKind;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode + decode through each session codec, no network: {@code requestReply} is the network
 * benchmarks' request ({@code cmd} of 64 bytes and a reply channel, a reference the codec writes
 * and resolves) and its reply, both ways; {@code record} a record of about 1 KiB (text, numbers,
 * binary, time). {@link GrpcProtoBench} does the protobuf messages with grpc-java's own marshaller.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CodecBench {
    @Param({"msgpack", "json", "cbor", "xml", "protobuf"})
    public String codec;

    private MessageCodec messages;
    private Shapes shapes;
    private Object request;
    private Sender ret;
    private final EncodeContext refs = value -> new io.libchan.spi.Reference(ReferenceKind.SENDER, 3);
    private DecodeContext resolve;

    @Setup(Level.Trial)
    public void setUp() {
        messages = MessageCodecs.create(Dialect.HEAD, Settings.builder().codec(codec).build());
        shapes = Shapes.of(codec);
        ret = Pipe.create().sender();
        request = shapes.request(ret);
        resolve = ref -> ret;
    }

    @Benchmark
    public Object requestReply() {
        byte[] req = messages.encode(request, refs);
        Object got = messages.decode(req, 0, req.length, shapes.requestType(), resolve);
        byte[] rep = messages.encode(shapes.reply(), refs);
        messages.decode(rep, 0, rep.length, shapes.replyType(), resolve);
        return got;
    }

    @Benchmark
    public Object record() {
        byte[] bytes = messages.encode(shapes.record(), refs);
        return messages.decode(bytes, 0, bytes.length, shapes.recordType(), resolve);
    }
}
