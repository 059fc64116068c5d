package dev.herd.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One element of an RFC 7239 {@code Forwarded} header: the parameters ({@code for},
 * {@code proto}, {@code by}, {@code host}, ...) that one proxy added. Parsing is strict, since a
 * header that cannot be read exactly cannot be believed: a syntax error rejects the whole header.
 */
final class ForwardedElement {

    private final Map<String, String> params;

    private ForwardedElement(Map<String, String> params) {
        this.params = params;
    }

    /** The value of parameter {@code name} (case-insensitive), unquoted; null when absent. */
    String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Parses every {@code Forwarded} field of a request, in order, as one list (RFC 9110 5.3);
     * returns null when any of it is malformed.
     */
    static List<ForwardedElement> parseAll(List<String> fieldValues) {
        List<ForwardedElement> elements = new ArrayList<>();
        for (String value : fieldValues) {
            if (!new Parser(value).parseInto(elements)) {
                return null;
            }
        }
        return elements;
    }

    /**
     * {@code Forwarded = 1#forwarded-element}, {@code forwarded-element = [pair] *(";" [pair])},
     * {@code pair = token "=" (token / quoted-string)}; a parameter at most once per element.
     */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        boolean parseInto(List<ForwardedElement> elements) {
            Map<String, String> params = new HashMap<>();
            while (true) {
                skipWhitespace();
                if (pos == text.length() || text.charAt(pos) == ',') {
                    if (!params.isEmpty()) {
                        elements.add(new ForwardedElement(params));
                        params = new HashMap<>();
                    }
                    if (pos == text.length()) {
                        return true;
                    }
                    pos++;
                    continue;
                }
                if (text.charAt(pos) == ';') {
                    pos++;
                    continue;
                }
                String name = token();
                if (name == null || pos == text.length() || text.charAt(pos) != '=') {
                    return false;
                }
                pos++;
                String value = pos < text.length() && text.charAt(pos) == '"' ? quotedString() : token();
                if (value == null || params.putIfAbsent(name.toLowerCase(Locale.ROOT), value) != null) {
                    return false;
                }
                skipWhitespace();
                if (pos < text.length() && text.charAt(pos) != ';' && text.charAt(pos) != ',') {
                    return false;
                }
            }
        }

        private String token() {
            int start = pos;
            while (pos < text.length() && isTokenChar(text.charAt(pos))) {
                pos++;
            }
            return pos > start ? text.substring(start, pos) : null;
        }

        private String quotedString() {
            StringBuilder value = new StringBuilder();
            pos++;
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    if (pos == text.length()) {
                        return null;
                    }
                    c = text.charAt(pos++);
                }
                value.append(c);
            }
            return null;
        }

        private void skipWhitespace() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
        }

        /** RFC 9110 tchar. */
        private static boolean isTokenChar(char c) {
            return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                    || c < 127 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
