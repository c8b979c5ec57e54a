package com.employable.flotilla.teammcp.notes;

/**
 * Size limits of the notes store. Each team shares one database with every other team, so a team's footprint is
 * bounded: at most {@link #NOTES_PER_TEAM} notes of at most {@link #BODY_MAX} characters (about 10 M characters per
 * team). The schema's CHECK constraints repeat the per-note limits, so the database holds them even against a
 * different client.
 */
public final class NoteLimits {

    public static final int TITLE_MAX = 200;
    public static final int BODY_MAX = 10_000;
    public static final int NOTES_PER_TEAM = 1_000;
    public static final int QUERY_MAX = 200;
    /** At most this many search terms are used; more would not narrow an AND search in any useful way. */
    public static final int QUERY_TERMS_MAX = 16;

    public static final int LIST_DEFAULT = 20;
    public static final int LIST_MAX = 100;
    public static final int SEARCH_DEFAULT = 10;
    public static final int SEARCH_MAX = 50;
    /** Lists and search hits carry a preview; notes_get returns the whole body. */
    public static final int PREVIEW_CHARS = 280;

    private NoteLimits() {}
}
