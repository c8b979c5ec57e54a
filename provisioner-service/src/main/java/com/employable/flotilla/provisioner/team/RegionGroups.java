package com.employable.flotilla.provisioner.team;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Data residency: regions grouped by jurisdiction. A team's machines are created in its own region and, when that
 * region has no capacity, only in the other regions of the same group, in the group's order; never outside it.
 *
 * <p>The defaults are Fly's current regions (fly-machines-api.md §6, 18 regions, 2025-10-28) grouped by jurisdiction:
 * the EU, the UK, the US, Canada, Asia-Pacific, South America, Africa. A one-region group has no fallback: residency
 * wins over availability, and the team waits in a retryable failure until capacity returns.
 *
 * @param groups group name to ordered regions
 */
public record RegionGroups(Map<String, List<String>> groups) {

    private static final Pattern REGION = Pattern.compile("[a-z]{3}");

    public RegionGroups {
        var copy = new TreeMap<String, List<String>>();
        var owner = new LinkedHashMap<String, String>();
        groups.forEach((group, regions) -> {
            if (regions.isEmpty()) {
                throw new IllegalArgumentException("region group '" + group + "' has no region");
            }
            for (String region : regions) {
                if (!REGION.matcher(region).matches()) {
                    throw new IllegalArgumentException("region group '" + group + "' has an invalid region '" + region
                            + "' (Fly regions are three lower-case letters)");
                }
                String other = owner.putIfAbsent(region, group);
                if (other != null) {
                    throw new IllegalArgumentException(
                            "region '" + region + "' is in two region groups, '" + other + "' and '" + group + "'");
                }
            }
            copy.put(group, List.copyOf(new LinkedHashSet<>(regions)));
        });
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no region group is configured");
        }
        groups = java.util.Collections.unmodifiableMap(copy);
    }

    static Map<String, List<String>> defaultGroups() {
        var defaults = new LinkedHashMap<String, List<String>>();
        defaults.put("eu", List.of("fra", "ams", "cdg", "arn"));
        defaults.put("uk", List.of("lhr"));
        defaults.put("us", List.of("iad", "ewr", "ord", "dfw", "sjc", "lax"));
        defaults.put("ca", List.of("yyz"));
        defaults.put("apac", List.of("sin", "nrt", "syd", "bom"));
        defaults.put("sa", List.of("gru"));
        defaults.put("af", List.of("jnb"));
        return defaults;
    }

    /** The defaults, with each configured group replacing the default of its name (an empty one removes it). */
    static RegionGroups merge(Map<String, List<String>> configured) {
        var merged = new LinkedHashMap<>(defaultGroups());
        if (configured != null) {
            configured.forEach((group, regions) -> {
                List<String> cleaned = regions == null
                        ? List.of()
                        : regions.stream()
                                .filter(region -> region != null && !region.isBlank())
                                .map(String::strip)
                                .toList();
                if (cleaned.isEmpty()) {
                    merged.remove(group);
                } else {
                    merged.put(group, cleaned);
                }
            });
        }
        return new RegionGroups(merged);
    }

    public Optional<String> groupOf(String region) {
        return groups.entrySet().stream()
                .filter(group -> group.getValue().contains(region))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /**
     * Where a machine of a team in {@code region} may be created, in order: where its machines already are (if that
     * is inside the group), its own region, then the rest of its group.
     *
     * @throws IllegalArgumentException when the region is in no group
     */
    public List<String> candidates(String region, String placed) {
        String group = groupOf(region)
                .orElseThrow(() -> new IllegalArgumentException(
                        "region '" + region + "' is in no region group (flotilla.provisioner.region-groups)"));
        var ordered = new LinkedHashSet<String>();
        List<String> members = groups.get(group);
        if (placed != null && members.contains(placed)) {
            ordered.add(placed);
        }
        ordered.add(region);
        ordered.addAll(members);
        return new ArrayList<>(ordered);
    }

    @Override
    public String toString() {
        return groups.toString();
    }
}
