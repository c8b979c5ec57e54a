package com.employable.flotilla.teammcp.notes;

import com.employable.flotilla.teammcp.tools.ToolInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search over the team's notes, as a PostgreSQL full-text query: every term must match (AND), each as a prefix
 * ({@code deploy} finds "deployment"). Terms are runs of letters and digits taken from the caller's text, so no
 * tsquery operator, quote or SQL ever comes from the input; the query string itself is still passed as a bind
 * parameter.
 */
record SearchQuery(List<String> terms) {

    private static final Pattern TERM = Pattern.compile("[\\p{L}\\p{N}]+");

    SearchQuery {
        terms = List.copyOf(terms);
    }

    static SearchQuery parse(String text) {
        var terms = new LinkedHashSet<String>();
        Matcher matcher = TERM.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find() && terms.size() < NoteLimits.QUERY_TERMS_MAX) {
            terms.add(matcher.group());
        }
        if (terms.isEmpty()) {
            throw new ToolInputException("'query' must contain at least one word (letters or digits)");
        }
        return new SearchQuery(new ArrayList<>(terms));
    }

    /** For {@code to_tsquery('simple', ?)}: {@code term1:* & term2:*}. */
    String toTsQuery() {
        return String.join(" & ", terms.stream().map(term -> term + ":*").toList());
    }
}
