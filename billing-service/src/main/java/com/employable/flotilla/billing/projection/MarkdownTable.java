package com.employable.flotilla.billing.projection;

import java.util.List;

/** A GitHub Markdown table: left-aligned text columns first, right-aligned figures after them. */
final class MarkdownTable {

    private final StringBuilder out = new StringBuilder();

    MarkdownTable(List<String> textColumns, List<String> figureColumns) {
        row(concat(textColumns, figureColumns));
        out.append('|')
                .append("---|".repeat(textColumns.size()))
                .append("---:|".repeat(figureColumns.size()))
                .append('\n');
    }

    MarkdownTable row(List<String> cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
