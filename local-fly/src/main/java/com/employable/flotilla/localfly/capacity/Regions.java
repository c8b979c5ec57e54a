package com.employable.flotilla.localfly.capacity;

import com.employable.flotilla.localfly.error.FlyError;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The regions machines can be placed in, and how a create's {@code region} picks one. The list is Fly's: the 18
 * regions of Fly's regions page (reference §6, {@code reference/regions}, 2025-10-28), with the geographic aliases
 * of its placement guide ({@code eu}, {@code na}, {@code sa}, {@code us}/{@code usa}; {@code apac} and {@code any}
 * from reference §1.4). A {@code region} may be a prioritised list ({@code "lhr,eu"}): the first region in it with
 * capacity wins. A code Fly does not have is refused as Fly refuses it: 422 {@code region <code> not found}.
 */
public final class Regions {

    /** Fly's region codes and the area each belongs to, in one place. */
    public static final Map<String, String> FLY = flyRegions();

    private static final String DEFAULT_REGION = "iad";

    private final Map<String, String> areaByRegion;

    public Regions(Map<String, String> areaByRegion) {
        if (areaByRegion.isEmpty()) {
            throw new IllegalArgumentException("LOCAL_FLY_REGIONS must name at least one region");
        }
        this.areaByRegion = Map.copyOf(areaByRegion);
    }

    public static Regions fly() {
        return new Regions(FLY);
    }

    /**
     * Fly's regions narrowed to {@code codes} (tests, a smaller world); a code Fly does not have is kept, in no area
     * but {@code any}.
     */
    public static Regions only(List<String> codes) {
        var chosen = new LinkedHashMap<String, String>();
        codes.forEach(code -> chosen.put(code, FLY.getOrDefault(code, "")));
        return new Regions(chosen);
    }

    public Set<String> codes() {
        return areaByRegion.keySet();
    }

    /**
     * The region a machine lands in: the first of the requested list (codes and aliases, in order) that {@code hasRoom}
     * accepts. 422 for a code or alias that is not Fly's, 412 {@code insufficient_capacity} when none has room.
     */
    public String place(String requested, Predicate<String> hasRoom) {
        List<String> candidates = candidates(requested);
        return candidates.stream()
                .filter(hasRoom)
                .findFirst()
                .orElseThrow(() -> new FlyError(
                        412,
                        "insufficient resources available to fulfill request: no capacity in "
                                + String.join(",", candidates),
                        "insufficient_capacity"));
    }

    /** Every region the request names, aliases expanded, in its order. */
    List<String> candidates(String requested) {
        if (requested == null || requested.isBlank()) {
            return List.of(areaByRegion.containsKey(DEFAULT_REGION) ? DEFAULT_REGION : sorted().getFirst());
        }
        var candidates = new LinkedHashSet<String>();
        for (String entry : requested.split(",")) {
            String code = entry.trim();
            if (areaByRegion.containsKey(code)) {
                candidates.add(code);
            } else if (!expand(code, candidates)) {
                throw new FlyError(422, "region " + code + " not found");
            }
        }
        return List.copyOf(candidates);
    }

    private boolean expand(String alias, Set<String> into) {
        List<String> members = switch (alias) {
            case "any" -> sorted();
            case "us", "usa" ->
                inArea("na").stream().filter(code -> !"yyz".equals(code)).toList();
            case "eu", "na", "sa", "apac" -> inArea(alias);
            default -> List.of();
        };
        into.addAll(members);
        return !members.isEmpty()
                || Set.of("any", "us", "usa", "eu", "na", "sa", "apac").contains(alias);
    }

    private List<String> inArea(String area) {
        return sorted().stream()
                .filter(code -> area.equals(areaByRegion.get(code)))
                .toList();
    }

    private List<String> sorted() {
        return areaByRegion.keySet().stream().sorted().toList();
    }

    private static Map<String, String> flyRegions() {
        var regions = new LinkedHashMap<String, String>();
        List.of("ams", "arn", "cdg", "fra", "lhr").forEach(code -> regions.put(code, "eu"));
        List.of("dfw", "ewr", "iad", "lax", "ord", "sjc", "yyz").forEach(code -> regions.put(code, "na"));
        regions.put("gru", "sa");
        List.of("bom", "nrt", "sin", "syd").forEach(code -> regions.put(code, "apac"));
        regions.put("jnb", "af");
        return Collections.unmodifiableMap(regions);
    }
}
