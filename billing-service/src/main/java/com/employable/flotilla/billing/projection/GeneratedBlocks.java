package com.employable.flotilla.billing.projection;

/**
 * A generated block inside a hand-written document: {@code <!-- generated:NAME -->} ... {@code <!-- /generated:NAME
 * -->}. The prose around it stays the author's; what is between the markers is the generator's and is compared with
 * it by a test, so numbers in prose documents cannot drift from the price book.
 */
public final class GeneratedBlocks {

    private GeneratedBlocks() {}

    static String open(String name) {
        return "<!-- generated:" + name + " -->";
    }

    static String close(String name) {
        return "<!-- /generated:" + name + " -->";
    }

    /** What stands between the markers of {@code name} in {@code document}. */
    public static String extract(String document, String name) {
        int[] span = span(document, name);
        return document.substring(span[0], span[1]);
    }

    /** The document with the block {@code name} holding {@code content} instead of what it held. */
    public static String replace(String document, String name, String content) {
        int[] span = span(document, name);
        return document.substring(0, span[0]) + content + document.substring(span[1]);
    }

    private static int[] span(String document, String name) {
        String open = open(name);
        int start = document.indexOf(open);
        int end = document.indexOf(close(name));
        if (start < 0 || end < start || document.indexOf(open, start + 1) >= 0) {
            throw new IllegalArgumentException("the document needs exactly one block " + open + " ... " + close(name));
        }
        return new int[] {start + open.length(), end};
    }
}
