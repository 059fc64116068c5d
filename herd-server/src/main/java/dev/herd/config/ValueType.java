package dev.herd.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one kind of setting value is read from text (flag, environment, file) and written back
 * as text (for workers and {@code print-config}). {@code parse(format(v))} equals {@code v}.
 */
public interface ValueType<T> {

    /** Reads {@code text}; throws {@link IllegalArgumentException} with a short reason. */
    T parse(String text);

    String format(T value);

    /** The placeholder shown in help, e.g. {@code N}. */
    String label();

    /** A switch: {@code --reload} alone means true; {@code true|false} (also yes|no, 1|0) elsewhere. */
    ValueType<Boolean> BOOL = new ValueType<>() {
        @Override
        public Boolean parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1", "on" -> true;
                case "false", "no", "0", "off" -> false;
                default -> throw new IllegalArgumentException("not true or false: '" + text + "'");
            };
        }

        @Override
        public String format(Boolean value) {
            return value.toString();
        }

        @Override
        public String label() {
            return "BOOL";
        }
    };

    ValueType<Integer> INT = new ValueType<>() {
        @Override
        public Integer parse(String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer: '" + text + "'");
            }
        }

        @Override
        public String format(Integer value) {
            return value.toString();
        }

        @Override
        public String label() {
            return "N";
        }
    };

    /**
     * A worker count, or {@code auto} ({@link #AUTO_WORKERS} until the resolver has read every
     * layer and works the number out: it depends on the worker class and the container).
     */
    ValueType<Integer> WORKER_COUNT = new ValueType<>() {
        @Override
        public Integer parse(String text) {
            String value = text.trim();
            if (value.equalsIgnoreCase("auto")) {
                return AUTO_WORKERS;
            }
            try {
                int count = Integer.parseInt(value);
                if (count == AUTO_WORKERS) {
                    throw new IllegalArgumentException("must be at least 1, got " + count);
                }
                return count;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number or auto, got '" + value + "'");
            }
        }

        @Override
        public String format(Integer value) {
            return value == AUTO_WORKERS ? "auto" : value.toString();
        }

        @Override
        public String label() {
            return "N|auto";
        }
    };

    /** What {@link #WORKER_COUNT} parses {@code auto} to. */
    int AUTO_WORKERS = Integer.MIN_VALUE;

    ValueType<String> STRING = new ValueType<>() {
        @Override
        public String parse(String text) {
            return text;
        }

        @Override
        public String format(String value) {
            return value;
        }

        @Override
        public String label() {
            return "TEXT";
        }
    };

    /** Seconds, fractions allowed (e.g. {@code 0.5}), as Gunicorn's timeouts are given. */
    ValueType<Duration> SECONDS = new ValueType<>() {
        @Override
        public Duration parse(String text) {
            double seconds;
            try {
                seconds = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number of seconds: '" + text + "'");
            }
            if (!Double.isFinite(seconds) || seconds < 0) {
                throw new IllegalArgumentException("must be a number of seconds >= 0, got '" + text + "'");
            }
            return Duration.ofNanos(Math.round(seconds * 1e9));
        }

        @Override
        public String format(Duration value) {
            long millis = value.toMillis();
            return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
        }

        @Override
        public String label() {
            return "SECONDS";
        }
    };

    /** A size in bytes: a number, optionally with k, m or g (powers of 1024), e.g. {@code 64m}. */
    ValueType<Long> BYTES = new ValueType<>() {
        @Override
        public Long parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            int shift = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 0;
            };
            String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
            try {
                long n = Long.parseLong(digits);
                if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                    throw new NumberFormatException();
                }
                return n << shift;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a size such as 1048576, 512k, 64m or 1g: '" + text + "'");
            }
        }

        @Override
        public String format(Long value) {
            for (String unit : new String[]{"g", "m", "k"}) {
                int shift = unit.equals("g") ? 30 : unit.equals("m") ? 20 : 10;
                if (value != 0 && value % (1L << shift) == 0) {
                    return (value >> shift) + unit;
                }
            }
            return value.toString();
        }

        @Override
        public String label() {
            return "SIZE";
        }
    };

    /** One of an enum's constants, written in lower case with dashes ({@code LEAST_BUSY} is least-busy). */
    static <E extends Enum<E>> ValueType<E> choice(Class<E> type) {
        return new ValueType<>() {
            @Override
            public E parse(String text) {
                for (E constant : type.getEnumConstants()) {
                    if (format(constant).equalsIgnoreCase(text.trim())) {
                        return constant;
                    }
                }
                throw new IllegalArgumentException("'" + text + "' is not one of " + label());
            }

            @Override
            public String format(E value) {
                return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
            }

            @Override
            public String label() {
                List<String> names = new ArrayList<>();
                for (E constant : type.getEnumConstants()) {
                    names.add(format(constant));
                }
                return String.join("|", names);
            }
        };
    }

    /**
     * A list of {@code element}: each use of a repeatable flag adds one, while the environment
     * and the text form separate them with commas.
     */
    static <E> ValueType<List<E>> listOf(ValueType<E> element) {
        return new ValueType<>() {
            @Override
            public List<E> parse(String text) {
                List<E> values = new ArrayList<>();
                for (String part : text.split(",")) {
                    if (!part.isBlank()) {
                        values.add(element.parse(part.trim()));
                    }
                }
                return List.copyOf(values);
            }

            @Override
            public String format(List<E> value) {
                return String.join(",", value.stream().map(element::format).toList());
            }

            @Override
            public String label() {
                return element.label();
            }
        };
    }
}
