package com.employable.flotilla.devstack.trial;

import java.time.Duration;
import java.util.List;

/**
 * {@code ./flotilla trial [--teams N] [--pool K] [--plan P] [--region R]}.
 *
 * @param pool how many of the teams claim a warm-pool app (the provisioner keeps that many in the region); the others
 * are created cold
 * @param createWithin how long the teams get to answer {@code tools/list} after their {@code team.created}
 * @param teardownWithin how long the teardown waits for their apps to be gone
 */
public record TrialOptions(
        int teams, int pool, String plan, String region, Duration createWithin, Duration teardownWithin) {

    public static final String USAGE =
            "usage: ./flotilla trial [--teams N (1-20, default 3)] [--pool K (0-N, default 0:"
                    + " K of the teams claim a warm-pool app)] [--plan starter|team|business] [--region fra]";

    public static TrialOptions parse(List<String> args, Duration createWithin) {
        int teams = 3;
        int pool = 0;
        String plan = "starter";
        String region = "fra";
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (arg) {
                case "--teams" -> {
                    teams = number(value, arg, 1);
                    i++;
                }
                case "--pool" -> {
                    pool = number(value, arg, 0);
                    i++;
                }
                case "--plan" -> {
                    plan = word(value, arg);
                    i++;
                }
                case "--region" -> {
                    region = word(value, arg);
                    i++;
                }
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        if (pool > teams) {
            throw new IllegalArgumentException("--pool " + pool + " is more than the " + teams + " team(s)\n" + USAGE);
        }
        return new TrialOptions(teams, pool, plan, region, createWithin, Duration.ofMinutes(3));
    }

    private static int number(String value, String option, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= 20) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a number from " + min + " to 20, got '" + value + "'");
    }

    private static String word(String value, String option) {
        if (value == null || !value.matches("[a-z0-9-]{1,30}")) {
            throw new IllegalArgumentException(option + " must be 1-30 of a-z 0-9 -, got '" + value + "'");
        }
        return value;
    }
}
