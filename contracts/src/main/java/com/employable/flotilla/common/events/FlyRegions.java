package com.employable.flotilla.common.events;

import java.util.Set;

/**
 * The regions Fly.io runs machines in: the 18 of Fly's region list (docs reference/regions, 2025-10-28; see
 * shared/reference/fly-machines-api.md). A team asks for one of these; anything else (a typo, {@code mars}) is a
 * contract violation every consumer refuses the same way, rather than something Fly refuses later.
 */
public final class FlyRegions {

    public static final Set<String> ALL = Set.of(
            "ams", "arn", "cdg", "fra", "lhr", "dfw", "ewr", "iad", "lax", "ord", "sjc", "yyz", "bom", "gru", "jnb",
            "nrt", "sin", "syd");

    private FlyRegions() {}
}
