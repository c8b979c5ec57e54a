package com.employable.flotilla.devstack.dlt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which dead letters a command acts on: a dead-letter topic ({@code --topic}, with or without {@code -dlt}), a team
 * (the record key), a time range ({@code --since}, {@code --until}: when the record was dead-lettered), or one record
 * ({@code <topic> <partition>/<offset>}).
 */
public record Selection(
        Optional<String> topic,
        Optional<String> team,
        Optional<Instant> since,
        Optional<Instant> until,
        Optional<Position> record,
        int limit) {

    static final int DEFAULT_LIMIT = 1000;

    private static final Pattern AGE = Pattern.compile("(\\d{1,6})([smhd])");

    private static final Pattern POSITION = Pattern.compile("(\\d{1,6})/(\\d{1,19})");

    /** One record of a dead-letter topic. */
    public record Position(String topic, int partition, long offset) {}

    /** Nothing selected but the defaults: every dead letter of every dead-letter topic. */
    public boolean selectsEverything() {
        return topic.isEmpty() && team.isEmpty() && since.isEmpty() && until.isEmpty() && record.isEmpty();
    }

    public boolean matches(DeadLetter letter) {
        return team.map(t -> t.equals(letter.key())).orElse(true)
                && since.map(s -> !letter.time().isBefore(s)).orElse(true)
                && until.map(u -> letter.time().isBefore(u)).orElse(true)
                && record.map(p -> p.partition() == letter.partition() && p.offset() == letter.offset())
                        .orElse(true);
    }

    /**
     * Parses the options of {@code list}, {@code show} and {@code replay}; {@code flags} receives the bare flags (such
     * as {@code --yes}) that {@code allowedFlags} names.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    static Selection parse(List<String> args, Clock clock, List<String> allowedFlags, List<String> flags) {
        Optional<String> topic = Optional.empty();
        Optional<String> team = Optional.empty();
        Optional<Instant> since = Optional.empty();
        Optional<Instant> until = Optional.empty();
        int limit = DEFAULT_LIMIT;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--topic" -> topic = Optional.of(deadLetterTopic(value(args, ++i, arg)));
                case "--team" -> team = Optional.of(value(args, ++i, arg));
                case "--since" -> since = Optional.of(time(value(args, ++i, arg), arg, clock));
                case "--until" -> until = Optional.of(time(value(args, ++i, arg), arg, clock));
                case "--limit" -> limit = limit(value(args, ++i, arg));
                default -> {
                    if (allowedFlags.contains(arg)) {
                        flags.add(arg);
                    } else if (arg.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    } else {
                        positional.add(arg);
                    }
                }
            }
        }
        Optional<Position> record = Optional.empty();
        if (!positional.isEmpty()) {
            if (positional.size() != 2) {
                throw new IllegalArgumentException(
                        "a record is named <dlt-topic> <partition>/<offset>, as list prints it; got " + positional);
            }
            Matcher m = POSITION.matcher(positional.get(1));
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "<partition>/<offset> expected (e.g. 3/42), got '" + positional.get(1) + "'");
            }
            String recordTopic = deadLetterTopic(positional.get(0));
            if (topic.isPresent() && !topic.get().equals(recordTopic)) {
                throw new IllegalArgumentException("--topic " + topic.get() + " differs from the record's topic");
            }
            topic = Optional.of(recordTopic);
            record = Optional.of(new Position(recordTopic, Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
        }
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw new IllegalArgumentException("--since must be before --until");
        }
        return new Selection(topic, team, since, until, record, limit);
    }

    /** {@code employable.team.lifecycle.v1} and {@code employable.team.lifecycle.v1-dlt} name the same DLT. */
    static String deadLetterTopic(String name) {
        if (!name.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("--topic: not a Kafka topic name: '" + name + "'");
        }
        return name.endsWith(DeadLetter.SUFFIX) ? name : name + DeadLetter.SUFFIX;
    }

    /** An instant, a date (its start, UTC) or an age ({@code 30m}, {@code 2h}, {@code 7d}) before now. */
    static Instant time(String text, String option, Clock clock) {
        Matcher age = AGE.matcher(text);
        if (age.matches()) {
            long amount = Long.parseLong(age.group(1));
            Duration ago = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return clock.instant().minus(ago);
        }
        try {
            return text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option
                    + ": expected an instant (2026-11-25T10:00:00Z), a date (2026-11-25) or an age (30m, 2h, 7d);"
                    + " got '" + text + "'");
        }
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= 100_000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--limit must be a number from 1 to 100000, got '" + text + "'");
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size() || args.get(index).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }
}
