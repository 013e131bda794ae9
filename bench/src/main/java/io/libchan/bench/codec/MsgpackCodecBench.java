package io.libchan.bench.codec;

import io.libchan.Dialect;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.bench.Reply;
import io.libchan.bench.Request;
import io.libchan.internal.codec.msgpack.MsgpackCodec;
import io.libchan.spi.DecodeContext;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
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
 * The msgpack codec alone, on the messages of a round trip of the network benchmarks: the request
 * {@code {cmd: 64 bytes, ret: Sender}} and the reply {@code {body: 64 bytes}}, each encoded and
 * decoded into its record. Read its allocation with {@code -prof gc} ({@code gc.alloc.rate.norm},
 * bytes per op): a count the machine's load does not move. Not part of {@code NetCompare}:
 * {@code java -jar bench/target/benchmarks.jar MsgpackCodecBench -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MsgpackCodecBench {
    /** The 64-byte text of every benchmark's request and reply. */
    private static final String TEXT = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
    private final MsgpackCodec codec = new MsgpackCodec(Dialect.HEAD, Settings.defaults());
    private final Sender ret = Pipe.create().sender();
    private final Reference ref = new Reference(ReferenceKind.SENDER, 5);
    private final EncodeContext refs = value -> ref;
    private final DecodeContext resolve = r -> ret;
    private final Request request = new Request(TEXT, ret);
    private final Reply reply = new Reply(TEXT);
    private final byte[] requestBytes = codec.encode(request, refs);
    private final byte[] replyBytes = codec.encode(reply, EncodeContext.NONE);

    /** The request and the reply encoded: what the two sides of a round trip write. */
    @Benchmark
    public int encodeRoundTrip() {
        return codec.encode(request, refs).length + codec.encode(reply, EncodeContext.NONE).length;
    }

    /** The request and the reply decoded into their records, as the session's channels do. */
    @Benchmark
    public Object decodeRoundTrip() {
        Request in = codec.decodeFramed(requestBytes, 0, requestBytes.length, Request.class, resolve);
        Reply out = codec.decodeFramed(replyBytes, 0, replyBytes.length, Reply.class, DecodeContext.NONE);
        return in.ret() == ret ? out : in;
    }
}
