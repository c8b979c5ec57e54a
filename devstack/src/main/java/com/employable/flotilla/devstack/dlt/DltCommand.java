package com.employable.flotilla.devstack.dlt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./flotilla dlt list | show | replay}: the dead-letter topics of the configured broker, for operators.
 * {@code list} prints one line per dead letter with its reason, {@code show} one record in full (secrets redacted),
 * {@code replay} re-publishes selected records to their original topics with their original headers and {@code ce_id}
 * after a confirmation.
 */
public final class DltCommand {

    public static final String USAGE = """
            usage: ./flotilla dlt list   [--topic T] [--team ID] [--since WHEN] [--until WHEN] [--limit N]
                   ./flotilla dlt show   <dlt-topic> <partition>/<offset>
                   ./flotilla dlt replay [--topic T] [--team ID] [--since WHEN] [--until WHEN] [--yes]
                   ./flotilla dlt replay <dlt-topic> <partition>/<offset> [--yes]
              T: a topic, with or without -dlt; WHEN: 2026-11-25T10:00:00Z, 2026-11-25 or an age (30m, 2h, 7d)""";

    private final String bootstrap;
    private final PrintStream out;
    private final PrintStream err;
    private final BufferedReader in;
    private final Clock clock;

    public DltCommand(String bootstrap, PrintStream out, PrintStream err, BufferedReader in, Clock clock) {
        this.bootstrap = bootstrap;
        this.out = out;
        this.err = err;
        this.in = in;
        this.clock = clock;
    }

    /** @param args what follows {@code dlt} on the command line */
    public int run(List<String> args) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        List<String> flags = new ArrayList<>();
        try {
            String command = args.get(0);
            List<String> rest = args.subList(1, args.size());
            return switch (command) {
                case "list" -> list(Selection.parse(rest, clock, List.of(), flags));
                case "show" -> show(Selection.parse(rest, clock, List.of(), flags));
                case "replay" -> replay(Selection.parse(rest, clock, List.of("--yes"), flags), flags.contains("--yes"));
                default -> {
                    err.println("unknown dlt command: " + command);
                    err.println(USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException bad) {
            err.println("dlt: " + bad.getMessage());
            return 2;
        } catch (org.apache.kafka.common.KafkaException | IllegalStateException unreachable) {
            err.printf(
                    "dlt: could not read from Kafka at %s (is the platform up? ./flotilla up): %s%n",
                    bootstrap, unreachable.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private int list(Selection selection) {
        if (selection.record().isPresent()) {
            throw new IllegalArgumentException("list takes options, not a record (use show for one record)");
        }
        List<DeadLetter> letters;
        try (var reader = new DeadLetterReader(bootstrap)) {
            letters = reader.read(selection);
        }
        var printer = new DeadLetterPrinter(out);
        printer.listHeader();
        letters.forEach(printer::line);
        out.printf(
                "%d dead letter%s%s%n",
                letters.size(),
                letters.size() == 1 ? "" : "s",
                letters.size() == selection.limit() ? " (the first " + selection.limit() + "; see --limit)" : "");
        return 0;
    }

    private int show(Selection selection) {
        if (selection.record().isEmpty()) {
            throw new IllegalArgumentException("show needs a record: <dlt-topic> <partition>/<offset>");
        }
        List<DeadLetter> letters;
        try (var reader = new DeadLetterReader(bootstrap)) {
            letters = reader.read(selection);
        }
        if (letters.isEmpty()) {
            err.println("dlt: no dead letter at " + selection.topic().orElseThrow() + " "
                    + selection.record().get().partition() + "/"
                    + selection.record().get().offset());
            return 1;
        }
        new DeadLetterPrinter(out).full(letters.get(0));
        return 0;
    }

    private int replay(Selection selection, boolean confirmed) throws InterruptedException {
        if (selection.selectsEverything()) {
            throw new IllegalArgumentException("replay needs a selection (--topic, --team, --since, --until or a"
                    + " record): it does not replay every dead letter at once");
        }
        List<DeadLetter> selected;
        try (var reader = new DeadLetterReader(bootstrap)) {
            selected = reader.read(selection);
        }
        List<DeadLetter> refused = selected.stream()
                .filter(DeadLetter::originalTopicHeaderDisagrees)
                .toList();
        List<DeadLetter> toReplay = DeadLetterReplayer.onePerOrigin(selected.stream()
                .filter(letter -> !letter.originalTopicHeaderDisagrees())
                .toList());
        var printer = new DeadLetterPrinter(out);
        refused.forEach(letter ->
                out.println("not replayed (its original-topic header disagrees with its topic): " + letter.ref()));
        if (toReplay.isEmpty()) {
            out.println("Nothing to replay.");
            return refused.isEmpty() ? 0 : 1;
        }
        out.printf(
                "%d dead letter%s selected; %d original record%s to replay:%n",
                selected.size(), selected.size() == 1 ? "" : "s", toReplay.size(), toReplay.size() == 1 ? "" : "s");
        printer.listHeader();
        toReplay.forEach(printer::line);
        if (!confirmed && !confirm(toReplay.size())) {
            out.println("Not replayed.");
            return 1;
        }
        try (var replayer = new DeadLetterReplayer(bootstrap)) {
            for (DeadLetter letter : toReplay) {
                var done = replayer.replay(letter);
                out.printf(
                        "replayed %s -> %s %d/%d (ce_id %s, team %s)%n",
                        letter.ref(),
                        done.topic(),
                        done.partition(),
                        done.offset(),
                        letter.ceId().map(Redaction::text).orElse("none"),
                        letter.key() == null ? "-" : Redaction.text(letter.key()));
            }
        }
        out.printf("Replayed %d record%s.%n", toReplay.size(), toReplay.size() == 1 ? "" : "s");
        return refused.isEmpty() ? 0 : 1;
    }

    /** Anything but an explicit yes, end of input included, is a no. */
    private boolean confirm(int count) {
        out.printf(
                "Replay %d record%s to their original topics, original headers and ce_id kept? [y/N] ",
                count, count == 1 ? "" : "s");
        out.flush();
        try {
            String answer = in.readLine();
            return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            return false;
        }
    }
}
