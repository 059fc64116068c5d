package dev.herd.metrics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A worker's metrics report, in the bytes of a {@code Metrics} control message, and the checks
 * the master makes before it believes one: a worker that sends garbage has its report dropped
 * (and logged) and changes nothing.
 *
 * <pre>
 * count: u32, then per sample:
 *   name: UTF, kind: u8, perWorker: u8, labels: u16 count then UTF each,
 *   value: f64, bounds: u16 count then f64 each, counts: u16 count then i64 each, help: UTF
 * </pre>
 */
public final class MetricsReport {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Far above what herd reports (a few hundred series); a bound against a runaway app. */
    static final int MAX_SAMPLES = 10_000;
    private static final int MAX_BUCKETS = 64;

    private MetricsReport() {
    }

    public static byte[] encode(List<Sample> samples) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + samples.size() * 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(samples.size());
            for (Sample sample : samples) {
                out.writeUTF(sample.name());
                out.writeByte(sample.kind().ordinal());
                out.writeByte(sample.perWorker() ? 1 : 0);
                out.writeShort(sample.labels().size());
                for (String label : sample.labels()) {
                    out.writeUTF(label);
                }
                out.writeDouble(sample.value());
                out.writeShort(sample.bounds().length);
                for (double bound : sample.bounds()) {
                    out.writeDouble(bound);
                }
                out.writeShort(sample.counts().length);
                for (long count : sample.counts()) {
                    out.writeLong(count);
                }
                out.writeUTF(sample.help());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The samples, each checked; the first problem fails the whole report. */
    public static List<Sample> decode(byte[] report) throws InvalidReportException {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(report));
            int size = in.readInt();
            if (size < 0 || size > MAX_SAMPLES) {
                throw new InvalidReportException("bad sample count " + size);
            }
            List<Sample> samples = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                String name = in.readUTF();
                int kind = in.readUnsignedByte();
                if (kind >= Sample.Kind.values().length) {
                    throw new InvalidReportException("bad kind " + kind + " for " + name);
                }
                boolean perWorker = in.readUnsignedByte() != 0;
                int labelCount = in.readUnsignedShort();
                List<String> labels = new ArrayList<>(labelCount);
                for (int l = 0; l < labelCount; l++) {
                    labels.add(in.readUTF());
                }
                double value = in.readDouble();
                double[] bounds = new double[bounded(in.readUnsignedShort(), name)];
                for (int b = 0; b < bounds.length; b++) {
                    bounds[b] = in.readDouble();
                }
                long[] counts = new long[bounded(in.readUnsignedShort(), name)];
                for (int c = 0; c < counts.length; c++) {
                    counts[c] = in.readLong();
                }
                String help = in.readUTF();
                Sample sample = new Sample(name, Sample.Kind.values()[kind], perWorker, List.copyOf(labels), value,
                        bounds, counts, help);
                check(sample);
                samples.add(sample);
            }
            if (in.available() > 0) {
                throw new InvalidReportException("trailing bytes");
            }
            return samples;
        } catch (IOException e) {
            throw new InvalidReportException("truncated: " + e);
        }
    }

    private static int bounded(int n, String name) throws InvalidReportException {
        if (n > MAX_BUCKETS + 1) {
            throw new InvalidReportException(n + " buckets for " + name);
        }
        return n;
    }

    static void check(Sample sample) throws InvalidReportException {
        String name = sample.name();
        if (!NAME.matcher(name).matches()) {
            throw new InvalidReportException("bad metric name '" + name + "'");
        }
        List<String> labels = sample.labels();
        if (labels.size() % 2 != 0) {
            throw new InvalidReportException("labels of " + name + " are not name/value pairs");
        }
        for (int i = 0; i < labels.size(); i += 2) {
            String label = labels.get(i);
            if (!LABEL.matcher(label).matches() || label.startsWith("__") || label.equals("le")
                    || label.equals("worker")) {
                throw new InvalidReportException("bad label name '" + label + "' on " + name);
            }
        }
        if (!Double.isFinite(sample.value())) {
            throw new InvalidReportException(name + " has value " + sample.value());
        }
        switch (sample.kind()) {
            case COUNTER -> {
                if (sample.value() < 0) {
                    throw new InvalidReportException("counter " + name + " went down by " + -sample.value());
                }
            }
            case GAUGE -> {
            }
            case HISTOGRAM -> {
                double[] bounds = sample.bounds();
                if (sample.counts().length != bounds.length + 1) {
                    throw new InvalidReportException(name + ": " + sample.counts().length + " counts for "
                            + bounds.length + " bounds");
                }
                for (int i = 0; i < bounds.length; i++) {
                    if (!Double.isFinite(bounds[i]) || i > 0 && bounds[i] <= bounds[i - 1]) {
                        throw new InvalidReportException(name + ": bucket bounds are not increasing");
                    }
                }
                for (long count : sample.counts()) {
                    if (count < 0) {
                        throw new InvalidReportException(name + ": a bucket went down");
                    }
                }
            }
        }
        if (sample.kind() != Sample.Kind.HISTOGRAM && (sample.bounds().length > 0 || sample.counts().length > 0)) {
            throw new InvalidReportException(name + ": buckets on a " + sample.kind());
        }
    }

    /** A report the master will not believe. */
    public static final class InvalidReportException extends Exception {
        public InvalidReportException(String message) {
            super(message);
        }
    }
}
