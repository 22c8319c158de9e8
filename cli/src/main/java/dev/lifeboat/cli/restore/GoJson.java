package dev.lifeboat.cli.restore;

/** A JSON string as Go's encoding/json writes it (HTML-safe escapes included). */
final class GoJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJson() {
    }

    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        b.append("\\u00").append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                        if (c >= 0x100) {
                            b.setLength(b.length() - 4);
                            b.append(String.format("%04x", (int) c));
                        }
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String stringArray(Iterable<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(string(v));
        }
        return b.append(']').toString();
    }
}
