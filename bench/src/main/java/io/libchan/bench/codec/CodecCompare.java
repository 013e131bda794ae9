package io.libchan.bench.codec;

import io.libchan.Dialect;
import io.libchan.Pipe;
import io.libchan.Settings;
import io.libchan.internal.codec.MessageCodecs;
import io.libchan.spi.EncodeContext;
import io.libchan.spi.MessageCodec;
import io.libchan.spi.Reference;
import io.libchan.spi.ReferenceKind;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the codec benchmarks ({@link CodecBench}, {@link GrpcProtoBench}, {@link CodecTcpBench}) in
 * one JMH run and prints, per codec, the time to encode and decode the request/reply and the 1 KiB
 * record, the TCP round trips per second, the ratios to msgpack, protobuf beside grpc-java's own
 * marshalling, and each message's size on the wire.
 *
 * <pre>
 * bench/run-codecs.sh [JMH options] [regexp...]
 * </pre>
 */
public final class CodecCompare {
    static final List<String> CODECS = List.of("msgpack", "json", "cbor", "xml", "protobuf");

    private CodecCompare() {
    }

    public static void main(String[] args) throws RunnerException {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("bad option: " + e.getMessage());
            System.exit(2);
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
            options.include("io\\.libchan\\.bench\\.codec\\.");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Double> score = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String codec = r.getParams().getParam("codec");
            score.put(name.substring(name.lastIndexOf('.') + 1) + (codec == null ? "" : "@" + codec),
                    r.getPrimaryResult().getScore());
        }
        System.out.println();
        System.out.print(table(score));
    }

    static String table(Map<String, Double> s) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "session codecs, %s; Java %s; %d CPUs%n",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).substring(0, 19), Runtime.version(),
                Runtime.getRuntime().availableProcessors()));
        out.append("encode+decode in ns (request/reply: the request with a reply channel and its 64-byte reply, both;"
                + " record: ~1 KiB); TCP: round trips/s, one in flight; x = ratio to msgpack (time: lower is better;"
                + " TCP: higher is better); bytes: one message as the codec writes it, prefix included\n\n");
        String fmt = "%-9s %10s %6s %10s %6s %10s %6s   %8s %6s %7s%n";
        out.append(String.format(Locale.ROOT, fmt, "codec", "req/reply", "x", "record", "x", "TCP rt/s", "x",
                "request", "reply", "record"));
        double baseRr = get(s, "requestReply@msgpack");
        double baseRec = get(s, "record@msgpack");
        double baseTcp = get(s, "roundTrip@msgpack");
        for (String codec : CODECS) {
            double rr = get(s, "requestReply@" + codec);
            double rec = get(s, "record@" + codec);
            double tcp = get(s, "roundTrip@" + codec);
            int[] sizes = sizes(codec);
            out.append(String.format(Locale.ROOT, fmt, codec, num(rr), ratio(rr, baseRr), num(rec), ratio(rec, baseRec),
                    num(tcp), ratio(tcp, baseTcp), sizes[0], sizes[1], sizes[2]));
        }
        double grpcRr = get(s, "grpcRequestReply");
        double grpcRec = get(s, "grpcRecord");
        out.append(String.format(Locale.ROOT, fmt, "grpc-java", num(grpcRr), "", num(grpcRec), "", "", "",
                grpcSize(true), "", grpcSize(false)));
        out.append(String.format(Locale.ROOT, "%nprotobuf codec / grpc-java's marshaller (time): request/reply %s, record %s"
                + " (the codec adds the Any envelope, the length prefix and the reference handles)%n",
                ratio(get(s, "requestReply@protobuf"), grpcRr), ratio(get(s, "record@protobuf"), grpcRec)));
        return out.toString();
    }

    /** Bytes of the request, the reply and the record as {@code codec} writes them. */
    static int[] sizes(String codec) {
        MessageCodec c = MessageCodecs.create(Dialect.HEAD, Settings.builder().codec(codec).build());
        Shapes shapes = Shapes.of(codec);
        EncodeContext refs = value -> new Reference(ReferenceKind.SENDER, 3);
        return new int[] {
            c.encode(shapes.request(Pipe.create().sender()), refs).length,
            c.encode(shapes.reply(), refs).length,
            c.encode(shapes.record(), refs).length,
        };
    }

    private static int grpcSize(boolean request) {
        GrpcProtoBench g = new GrpcProtoBench();
        try {
            return request ? g.request.stream(g.requestMessage).readAllBytes().length
                    : GrpcProtoBench.size(g.record, Shapes.Protobuf.RECORD);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double get(Map<String, Double> s, String key) {
        Double v = s.get(key);
        return v == null ? Double.NaN : v;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }
}
